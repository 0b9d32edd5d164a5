import Foundation

/// Headless Chromium opening `console.html` for a session its user cannot have: someone else's, or one that ended
/// after the portal listed it. The selenium script (`browser_refusal.py`) prints what the console showed once it
/// settled and which WebSockets the browser opened meanwhile.
final class BrowserRefusalScript: BrowserRun {
    enum Mode: String {
        /// Sign in, print the session ids the portal lists (`listed`), open `console.html` for the session (`console`).
        case otherUser = "other-user"
        /// Sign in, print `listed` once the portal shows the session, end it through the API from the page and
        /// at once press its Reconnect (`ended`: the DELETE's status; `console`), then follow the console's link
        /// back to the portal (`after`).
        case ended
    }

    /// Starts the script as `user` (with the test password) for `session`; the console's screenshot goes to
    /// `screenshot`.
    init(_ mode: Mode, user: String, session: String, screenshot: URL) throws {
        try? FileManager.default.removeItem(at: screenshot)
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-refusal-\(mode.rawValue)", script: "browser_refusal.py",
            arguments: [
                mode.rawValue, BrokerUnderTest.portalOrigin, user, TestUsers.password(user), screenshot.path,
                profile.path, session,
            ])
    }
}

/// What `console.html` showed once it settled, as the script read it from the page.
struct ConsoleRefusal: Decodable, CustomStringConvertible {
    /// `#status`'s `data-state` and text.
    let state: String
    let text: String
    /// The WebSocket URLs the browser opened since the page was asked for.
    let sockets: [String]
    /// The labels of the console bar's buttons on show (Reconnect, Disconnect, Ctrl+Alt+Del).
    let controls: [String]
    /// How many elements spice-html5 put into the screen area.
    let screen: Int
    /// Whether the way back to the portal ("← Desktops") is on show.
    let back: Bool

    /// Refused outright: nothing connected or tried to, no control that would try, the way back in view.
    var refusedWithoutConnecting: Bool { sockets.isEmpty && controls.isEmpty && screen == 0 && back }

    var description: String {
        "\(state): \"\(text)\"; sockets \(sockets), controls \(controls), screen elements \(screen), back link \(back)"
    }
}
