import Foundation

/// Two headless Chromiums in the client namespace, driven by one selenium script (`browser_admin.py`): alice's
/// (signed out, then signed in, on the admin page and then in her browser console) and an admin's (the portal's Admin
/// link, the admin page, End session). Like `BrowserScript` it prints one `key value` line per step for the test to
/// follow.
final class BrowserAdminScript: BrowserRun {
    /// Where the script saves its screenshots.
    struct Screenshots {
        let deniedToAlice = E2E.artifact("browser-admin-denied.png")
        let adminBefore = E2E.artifact("browser-admin-before.png")
        let adminAfter = E2E.artifact("browser-admin-after.png")
        let aliceAfter = E2E.artifact("browser-admin-alice-ended.png")

        var all: [URL] { [deniedToAlice, adminBefore, adminAfter, aliceAfter] }
    }

    let screenshots = Screenshots()
    /// Created by `allowEnd()`: the script waits for it before the admin presses End session.
    private let goAhead = Scratch.file("browser-admin-go")

    /// Starts the script: alice with the test password, and `admin` with `adminPassword`.
    init(admin: String, adminPassword: String) throws {
        for screenshot in screenshots.all { try? FileManager.default.removeItem(at: screenshot) }
        let aliceProfile = try Scratch.directory("chromium-profile-alice")
        let adminProfile = try Scratch.directory("chromium-profile-admin")
        try super.init(
            name: "browser-admin", script: "browser_admin.py",
            arguments: [
                BrokerUnderTest.portalOrigin,
                TestUsers.alice, TestUsers.password(TestUsers.alice), screenshots.aliceAfter.path, aliceProfile.path,
                admin, adminPassword, adminProfile.path, screenshots.adminBefore.path, screenshots.adminAfter.path,
                screenshots.deniedToAlice.path, goAhead.path,
            ],
            grace: 20)
    }

    /// Lets the admin press End session (the script printed `ready-to-end` and waits for this).
    func allowEnd() throws {
        try Data().write(to: goAhead)
    }
}
