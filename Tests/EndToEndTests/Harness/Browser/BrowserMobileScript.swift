import Foundation

/// Headless Chromium emulating a phone, driven by the selenium script `browser_mobile.py`: it signs alice in through
/// the form, looks at the portal with her running desktop, then opens that desktop in the console, and prints how
/// each page lays out at phone width (`sign-in-layout`, `portal-layout`, `console-layout`).
final class BrowserMobileScript: BrowserRun {
    /// The phone's screen in CSS pixels: a common Android width, narrower than most iPhones.
    static let phone = (width: 360, height: 780)

    /// Where the script saves its screenshots.
    struct Screenshots {
        let signIn = E2E.artifact("browser-mobile-sign-in.png")
        /// The whole portal page, below the fold too.
        let portal = E2E.artifact("browser-mobile-portal.png")
        let console = E2E.artifact("browser-mobile-console.png")

        var all: [URL] { [signIn, portal, console] }
    }

    let screenshots = Screenshots()

    /// Starts the script as alice, whose running desktop is `session`.
    init(session: String) throws {
        for screenshot in screenshots.all { try? FileManager.default.removeItem(at: screenshot) }
        let profile = try Scratch.directory("chromium-profile")
        try super.init(
            name: "browser-mobile", script: "browser_mobile.py",
            arguments: [
                BrokerUnderTest.portalOrigin, TestUsers.alice, TestUsers.password(TestUsers.alice), profile.path,
                session, String(Self.phone.width), String(Self.phone.height),
                screenshots.signIn.path, screenshots.portal.path, screenshots.console.path,
            ])
    }
}

/// How a page laid out in the browser, as the script measured it: the viewport, how wide the document is, the boxes
/// of the elements a user needs, and every element that sticks out sideways or cuts its text. A phone's browser
/// answers content wider than its screen by widening the viewport (showing the page zoomed out), so every width is
/// checked against the phone's screen, not against `viewportWidth`.
struct PageLayout: Decodable, CustomStringConvertible {
    /// An element's box in CSS pixels, relative to the viewport.
    struct Box: Decodable {
        let found: Bool
        let visible: Bool
        let tag: String
        let left: Double
        let right: Double
        let height: Double
    }

    let viewportWidth: Double
    /// `document.documentElement.scrollWidth`: wider than the viewport means the page scrolls sideways.
    let scrollWidth: Double
    /// The elements the script asked for, by what a user calls them.
    let items: [String: Box]
    /// Elements reaching past the screen's left or right edge, outside any scrolling area.
    let outside: [String]
    /// Elements whose own text is wider than their box.
    let cut: [String]

    /// What is wrong with the layout for a user on a screen `width` pixels wide, in words; empty when nothing is.
    func problems(width: Int) -> [String] {
        var found: [String] = []
        let screen = Double(width)
        if viewportWidth != screen {
            found.append("the viewport is \(viewportWidth) px wide, not \(width): the phone shows the page zoomed out")
        }
        if scrollWidth > screen { found.append("the page is \(scrollWidth) px wide: it scrolls sideways") }
        for (label, box) in items.sorted(by: { $0.key < $1.key }) {
            if !box.found || !box.visible {
                found.append("\(label) is not on show")
            } else if box.left < 0 || box.right > screen {
                found.append("\(label) spans \(box.left)...\(box.right) px, beyond the screen")
            } else if box.tag == "button" && box.height < 44 {
                found.append("\(label) is \(box.height) px tall, too small to tap")
            }
        }
        found += outside.map { "sticks out sideways: \($0)" } + cut.map { "text cut off: \($0)" }
        return found
    }

    var description: String {
        let shown = items.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value.left))...\(Int($0.value.right))" }
        return "viewport \(viewportWidth), page \(scrollWidth); \(shown.joined(separator: ", "))"
    }
}
