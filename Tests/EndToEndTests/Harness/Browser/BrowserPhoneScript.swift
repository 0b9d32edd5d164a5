import Foundation

/// Headless Chromium on `phone.html`, driven by the selenium script `browser_phone.py` inside the client namespace.
final class BrowserPhoneScript: BrowserRun {
    /// Starts the script as alice: sign in through the portal, then `phone.html` for `session` (and for
    /// `bogusSession`, which must not exist). The screenshot of the QR code goes to `screenshot`.
    init(session: String, screenshot: URL, bogusSession: String = "999999") throws {
        try? FileManager.default.removeItem(at: screenshot)
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-phone", script: "browser_phone.py",
            arguments: [
                BrokerUnderTest.portalOrigin, TestUsers.alice, TestUsers.password(TestUsers.alice), screenshot.path,
                profile.path, session, bogusSession,
            ])
    }
}

/// What `phone.html` showed once its code was ready, as the script read it from the page.
struct PhonePageShown: Decodable, CustomStringConvertible {
    /// `#status`'s `data-state` and text.
    let state: [String]
    /// The link as the page shows it in `#phone-url`.
    let url: String
    /// The link shown before pressing New code.
    let firstURL: String
    /// The countdown, `m:ss`.
    let countdown: String
    let canvasWidth: Int
    let canvasLabel: String

    var description: String {
        "\(state), url \(url) (before New code: \(firstURL)), countdown \(countdown), canvas \(canvasWidth) px "
            + "labelled \"\(canvasLabel)\""
    }
}
