import Foundation

/// Headless Chromium using a real desktop (`DesktopImage`) through the portal's browser console, as a person would:
/// sign in, Connect in browser, click into the desktop's terminal and type on the canvas, then read the canvas back
/// with tesseract. The script is `browser_desktop.py`.
final class BrowserDesktopScript: BrowserRun {
    /// Starts the script as `user` on `pool`; it starts `tr` turning lower case into capitals, types `word`, and
    /// waits to read it in capitals.
    init(user: String, pool: String, word: String) throws {
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-desktop", script: "browser_desktop.py",
            arguments: [
                BrokerUnderTest.portalOrigin, user, TestUsers.password(user), pool, word,
                E2E.artifact("browser-desktop.png").path, profile.path,
            ])
    }
}
