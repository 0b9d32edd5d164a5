import Foundation
import Testing

extension EndToEnd {
    /// `console.html` for a session the signed-in user cannot have, in a real browser: someone else's, and one that
    /// ended after the portal listed it. The status bar must say so in words, nothing may offer to connect, and the
    /// browser must never open a WebSocket to the gateway.
    @Suite struct BrowserRefusal {
        static let bob = "bob"

        @Test("bob opening alice's session in console.html is told it is not his, and nothing connects")
        func otherUsersSession() throws {
            try BrokerFixture.run("browser-other-user") { broker in
                try broker.cli(["user", "add", Self.bob], input: TestUsers.password(Self.bob) + "\n")
                let aliceToken = try API.login(TestUsers.alice)
                let (response, desktop) = try API.requestDesktop(BrokerFixture.pool, token: aliceToken)
                let session = try #require(desktop, "alice got no desktop: \(response)")

                let screenshot = E2E.artifact("browser-refusal-other-user.png")
                let browser = try BrowserRefusalScript(
                    .otherUser, user: Self.bob, session: session.id, screenshot: screenshot)
                defer { browser.stop() }
                let listed = try browser.decode([String].self, key: "listed", timeout: 60)
                #expect(listed.isEmpty, "bob's portal lists running desktops: \(listed)")

                let shown = try browser.decode(ConsoleRefusal.self, key: "console", timeout: 60)
                print("E2E bob on alice's console: \(shown); screenshot \(screenshot.path)")
                #expect(shown.state == "not-found", "\(shown)")
                #expect(shown.text.localizedCaseInsensitiveContains("someone else"), "must say why: \(shown)")
                #expect(shown.refusedWithoutConnecting, "\(shown)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")

                // The broker granted bob nothing, and alice's desktop is still hers to open.
                let log = (try? String(contentsOf: broker.log, encoding: .utf8)) ?? ""
                #expect(!log.contains("web console granted for session \(session.id) to \(Self.bob)"), "\(log.suffix(2000))")
                let still = try API.request("GET", "/api/v1/sessions/\(session.id)", token: aliceToken)
                #expect(still.status == 200, "alice's session after bob's try: \(still)")
                #expect(try WebConsoleGrant.request(session.id, token: aliceToken).url.contains("/ws/"))
            }
        }

        @Test("Reconnect on a session ended after the portal listed it says it ended, never connects, and the list drops it")
        func endedSession() throws {
            try BrokerFixture.run("browser-ended") { _ in
                let token = try API.login(TestUsers.alice)
                let (response, desktop) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(desktop, "alice got no desktop: \(response)")

                let screenshot = E2E.artifact("browser-refusal-ended.png")
                let browser = try BrowserRefusalScript(
                    .ended, user: TestUsers.alice, session: session.id, screenshot: screenshot)
                defer { browser.stop() }
                let listed = try browser.decode([String].self, key: "listed", timeout: 60)
                #expect(listed == [session.id], "alice's portal: \(listed)")

                // Ended while her portal still shows it with Reconnect, which she then presses.
                let ended = try browser.decode(Int.self, key: "ended", timeout: 60)
                #expect(ended == 204, "ending the session from the page")
                #expect(try API.request("GET", "/api/v1/sessions/\(session.id)", token: token).status == 404)

                let shown = try browser.decode(ConsoleRefusal.self, key: "console", timeout: 60)
                print("E2E Reconnect on an ended session: \(shown); screenshot \(screenshot.path)")
                #expect(shown.state == "not-found", "\(shown)")
                #expect(shown.text.localizedCaseInsensitiveContains("ended"), "must say why: \(shown)")
                #expect(shown.refusedWithoutConnecting, "\(shown)")

                let after = try browser.decode(PortalAfterEnd.self, key: "after", timeout: 60)
                print("E2E the portal after the ended console: \(after)")
                #expect(after.sessions.isEmpty, "the portal still lists \(after.sessions)")
                #expect(after.empty.hasPrefix("None."), "\(after)")
                #expect(after.pool.contains("3 of 3 free"), "the VM must be back in the pool: \(after)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
            }
        }
    }
}

/// The portal as the ended-session script found it back from the console: the running desktops' ids, the list's
/// text, and the pool card's text.
private struct PortalAfterEnd: Decodable {
    let sessions: [String]
    let empty: String
    let pool: String
}
