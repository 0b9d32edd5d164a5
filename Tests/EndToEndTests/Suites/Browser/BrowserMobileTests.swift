import Foundation
import Testing

extension EndToEnd {
    /// The portal and the console on a phone: Chromium emulating a phone-sized touch screen signs in through the form,
    /// finds its pool and running desktop, and opens the desktop. At every step the page must fit the screen's width:
    /// no sideways scrolling, every control a user needs on show, within the screen and big enough to tap, no text cut.
    @Suite struct BrowserMobile {
        @Test("at phone width the sign-in form, the portal and the console fit the screen with every control in view")
        func phoneWidth() throws {
            try BrokerFixture.run("browser-mobile") { _ in
                let token = try API.login(TestUsers.alice)
                let (response, desktop) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(desktop, "alice got no desktop: \(response)")

                let browser = try BrowserMobileScript(session: session.id)
                defer { browser.stop() }
                let width = BrowserMobileScript.phone.width
                for (key, page, timeout) in [
                    ("sign-in-layout", "the sign-in form", 60.0), ("portal-layout", "the portal", 60),
                    ("console-layout", "the console", 150),
                ] {
                    let layout = try browser.decode(PageLayout.self, key: key, timeout: timeout)
                    print("E2E \(page) at \(width) px: \(layout)")
                    let problems = layout.problems(width: width)
                    #expect(problems.isEmpty, "\(page) at \(width) px: \(problems.joined(separator: "; "))")
                }
                // Connect in browser on the pool gives back her running desktop, drawn.
                #expect(try browser.value(of: "opened", timeout: 1) == session.id)
                #expect(try browser.decode(CanvasMeasure.self, key: "pixels").showsGuestConsole)
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")
                for shot in browser.screenshots.all {
                    #expect(FileManager.default.fileExists(atPath: shot.path), "no screenshot \(shot.path)")
                    print("E2E screenshot: \(shot.path)")
                }
            }
        }
    }
}
