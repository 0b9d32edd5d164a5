import Foundation
import Testing

extension EndToEnd {
    /// The portal and the HTML5 console in a real browser: headless Chromium in the client namespace signs in through
    /// the form, opens the desktop in the browser, and must show the guest's screen drawn by spice-html5 over the
    /// WebSocket gateway; then the console page must tell the user what happened when things end or go wrong.
    @Suite struct BrowserPortal {
        @Test("signing in and choosing Connect in browser draws the desktop; ending the session shows it ended")
        func connectInBrowser() throws {
            try BrokerFixture.run("browser-portal") { _ in
                let screenshot = E2E.artifact("browser-portal-desktop.png")
                let browser = try BrowserScript(.desktop, screenshot: screenshot)
                defer { browser.stop() }

                let session = try browser.value(of: "session", timeout: 120)
                let token = try API.login(TestUsers.alice)
                let mine = try API.request("GET", "/api/v1/sessions", token: token)
                #expect(mine.text.contains(session), "the console page's session \(session) is not alice's: \(mine)")

                // Connected and drawn: the script checks both, then takes the screenshot and waits for the end.
                try browser.value(of: "ready-for-end", timeout: 150)
                let canvas = try browser.decode(CanvasMeasure.self, key: "pixels")
                print("E2E browser: \(canvas); screenshot \(screenshot.path)")
                #expect(canvas.showsGuestConsole, "\(canvas)")
                let screen = try ScreenMeasure.of(screenshot)
                #expect(screen.showsGuestConsole, "the screenshot shows no guest console: \(screen)")

                #expect(try API.release(session, token: token).status == 204)
                let ended = try browser.value(of: "ended", timeout: 40)
                print("E2E browser after DELETE: \(ended)")
                #expect(ended.localizedCaseInsensitiveContains("ended"))
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
            }
        }

        @Test("a user changes their password in the portal: mistakes are refused, the change signs them out, the new one works")
        func changePassword() throws {
            try BrokerFixture.run("browser-password") { _ in
                let screenshot = E2E.artifact("browser-portal-password.png")
                let browser = try BrowserScript(.password, screenshot: screenshot)
                defer { browser.stop() }
                let seen = try browser.decode([String: String].self, key: "password", timeout: 90)
                print("E2E portal password change: \(seen)")
                #expect(seen["differ"]?.contains("differ") == true, "\(seen)")
                #expect(seen["wrong"]?.localizedCaseInsensitiveContains("current password") == true, "\(seen)")
                #expect(seen["notice"]?.contains("password is changed") == true, "\(seen)")
                let old = try API.request("POST", "/api/v1/login", body: try API.json(["username": TestUsers.alice, "password": TestUsers.password(TestUsers.alice)]))
                #expect(old.status == 401, "the old password no longer works: \(old)")
                let new = try API.request("POST", "/api/v1/login", body: try API.json(["username": TestUsers.alice, "password": TestUsers.password(TestUsers.alice) + "-new"]))
                #expect(new.status == 200, "\(new)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
            }
        }

        @Test("a console opened for a session that does not exist says so instead of hanging")
        func bogusSession() throws {
            try BrokerFixture.run("browser-bogus") { _ in
                let screenshot = E2E.artifact("browser-portal-bogus.png")
                let browser = try BrowserScript(.bogusSession, screenshot: screenshot)
                defer { browser.stop() }

                let unsigned = try browser.decode([String].self, key: "unsigned", timeout: 60)
                #expect(unsigned.first == "signed-out", "without a sign-in: \(unsigned)")
                let bogus = try browser.decode([String].self, key: "bogus", timeout: 60)
                print("E2E browser on a bogus session: \(bogus); screenshot \(screenshot.path)")
                #expect(bogus.first == "not-found", "\(bogus)")
                #expect((bogus.last ?? "").count > 20, "the status bar must explain: \(bogus)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
            }
        }
    }
}
