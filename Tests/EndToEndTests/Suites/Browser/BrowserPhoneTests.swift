import Foundation
import Testing

extension EndToEnd {
    /// Send to phone: the portal's `phone.html` shows a QR code of a short-lived link to the desktop's .vv file.
    /// The code on screen must decode (zbarimg, from a screenshot) to the link the page prints, and the link must
    /// give the aSpice .vv once, without a sign-in, from the client's side of the network.
    @Suite struct BrowserPhone {
        @Test("phone.html shows a QR code of a single-use link to the desktop's .vv file for aSpice")
        func sendToPhone() throws {
            try BrokerFixture.run("browser-phone") { _ in
                let token = try API.login(TestUsers.alice)
                let (response, desktop) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(desktop, "alice got no desktop: \(response)")

                // Someone else's session has no phone link for them.
                let other = try API.request(
                    "POST", "/api/v1/sessions/\(session.id)/phone-link", token: try API.login(TestUsers.crowd[0]))
                #expect(other.status == 404 && other.errorCode == "session_not_found", "\(other)")

                let screenshot = E2E.artifact("browser-phone.png")
                let browser = try BrowserPhoneScript(session: session.id, screenshot: screenshot)
                defer { browser.stop() }

                let unsigned = try browser.decode([String].self, key: "unsigned", timeout: 60)
                #expect(unsigned.first == "signed-out", "phone.html without a sign-in: \(unsigned)")

                let shown = try browser.decode(PhonePageShown.self, key: "shown", timeout: 60)
                print("E2E phone page: \(shown); screenshot \(screenshot.path)")
                #expect(shown.state.first == "ready", "\(shown)")
                #expect(shown.url != shown.firstURL, "New code must show another link: \(shown)")
                #expect(shown.canvasLabel.contains(shown.url), "the canvas must be labelled with the link: \(shown)")
                let parts = shown.countdown.split(separator: ":").compactMap { Int($0) }
                let seconds = parts.count == 2 ? parts[0] * 60 + parts[1] : -1
                #expect((100...121).contains(seconds), "a countdown from 2 minutes: \(shown)")
                let prefix = BrokerUnderTest.portalOrigin + "/p/"
                #expect(shown.url.hasPrefix(prefix) && shown.url.count > prefix.count + 10, "\(shown.url)")

                // The code on screen is the link on screen.
                let decoded = try Command.run(["zbarimg", "--raw", "-q", screenshot.path])
                #expect(decoded.status == 0, "zbarimg found no QR code in \(screenshot.path): \(decoded.summary)")
                let text = decoded.output.hasSuffix("\n") ? String(decoded.output.dropLast()) : decoded.output
                #expect(text == shown.url, "the QR code says \(text), the page \(shown.url)")

                // The phone's download: no sign-in, the aSpice .vv (no title=), a working ticket; once only.
                let path = String(shown.url.dropFirst(BrokerUnderTest.portalOrigin.count))
                let vv = try API.request("GET", path)
                #expect(vv.status == 200, "\(vv)")
                #expect(vv.headers["content-type"]?.hasPrefix("application/x-virt-viewer") == true, "\(vv.headers)")
                #expect(vv.headers["content-disposition"]?.contains("attachment") == true, "\(vv.headers)")
                let values = VirtViewerFile.parse(vv.text)
                #expect(vv.text.contains("password=") && !(values["password"] ?? "").isEmpty, "\(vv.text)")
                #expect(vv.text.contains("host=") && !(values["host"] ?? "").isEmpty, "\(vv.text)")
                #expect(!vv.text.contains("title="), "the aSpice profile has no title=: \(vv.text)")

                let again = try API.request("GET", path)
                #expect(again.status == 404, "a phone link works once: \(again)")
                #expect(again.errorCode != nil, "the second use must get the API's JSON error: \(again)")

                let bogus = try browser.decode([String].self, key: "bogus", timeout: 60)
                #expect(bogus.first == "not-found", "phone.html for a session that does not exist: \(bogus)")
                try browser.value(of: "done", timeout: 30)
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
                #expect(try API.release(session.id, token: token).status == 204)
            }
        }
    }
}
