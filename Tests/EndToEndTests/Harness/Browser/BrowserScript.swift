import Foundation

/// What the browser's canvas showed, as the browser script measured it from its pixels.
struct CanvasMeasure: Decodable, CustomStringConvertible {
    let width: Int
    let height: Int
    /// The share of the canvas's pixels that are opaque and darker than 10% grey.
    let dark: Double
    /// The share that are opaque and lighter than 50% grey: the console's text.
    let light: Double

    /// The SeaBIOS console (a black 720x400 screen with grey text); an undrawn, transparent canvas has neither.
    var showsGuestConsole: Bool { dark >= 0.5 && light >= 0.004 }

    var description: String {
        String(format: "canvas %dx%d: dark %.3f, light %.4f", width, height, dark, light)
    }
}

/// The portal script (`browser_portal.py`): headless Chromium signing in as alice. The test waits for
/// `ready-for-end`, ends the session, and waits for `ended`.
final class BrowserScript: BrowserRun {
    enum Mode: String {
        /// Sign in, Connect in browser on the office pool, wait for the drawn desktop, screenshot, then wait for
        /// the page to say the session ended.
        case desktop
        /// Like `desktop`, with the console page reloaded once drawn: it must reconnect with the grant it kept.
        case reload
        /// Open console.html for a session that does not exist, signed out and then signed in.
        case bogusSession = "bogus"
        /// Change the password through the portal's form (mistakes first), then sign in with the new one.
        case password
    }

    /// Starts the script as alice against the broker's portal; the screenshot goes to `screenshot`.
    init(_ mode: Mode, screenshot: URL, bogusSession: String = "999999") throws {
        try? FileManager.default.removeItem(at: screenshot)
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-\(mode.rawValue)", script: "browser_portal.py",
            arguments: [
                mode.rawValue, BrokerUnderTest.portalOrigin, TestUsers.alice, TestUsers.password(TestUsers.alice),
                screenshot.path, profile.path, bogusSession,
            ])
    }
}
