import Foundation
import Testing

extension EndToEnd {
    /// A real desktop (`DesktopImage`) handed out by the broker and used through real clients from the client
    /// namespace: what the user types and clicks reaches it, its screen follows the viewer's window, and what the
    /// user leaves on it lasts as long as the pool's desktops do.
    @Suite struct Desktops {
        /// A broker with a volatile and a persistent pool of real desktops, one VM each, and a SPICE gateway (so
        /// browser consoles go through it too), serving.
        static func run(_ label: String, _ body: (BrokerUnderTest) throws -> Void) throws {
            let tls = try TLSFolder.make(label)
            try TemplateImages.serving(
                label, users: [TestUsers.alice, TestUsers.crowd[0]],
                pools: [(DesktopImage.volatilePool, "volatile"), (DesktopImage.persistentPool, "persistent")],
                maxVMs: 1, baseImage: DesktopImage.baseImage, prepare: DesktopImage.install,
                template: DesktopImage.templateFile, extraConfig: EndToEnd.SpiceGateway.config(tls), body)
        }

        /// Types a command that prints `word` reversed in capitals, and waits to read that: only the desktop's shell
        /// running what was typed puts it on the screen.
        static func typeAndReadBack(_ word: String, on viewer: DesktopViewer) throws {
            try viewer.typeInTerminal("echo \(word) | rev | tr a-z A-Z")
            let answer = String(word.reversed()).uppercased()
            try viewer.waitForText("the shell's answer \(answer)") { $0.withoutSpaces.contains(answer) }
        }

        /// Right-clicks the desktop's background until IceWM's menu shows (three tries).
        static func openMenu(on viewer: DesktopViewer) throws {
            for attempt in 1...3 {
                try viewer.click(x: 900, y: 600, button: 3)
                do {
                    try viewer.waitForText("IceWM's menu", timeout: 10) { $0.contains("Logout") || $0.contains("Programs") }
                    return
                } catch where attempt < 3 {
                    print("E2E: no menu after right click \(attempt): \(error)")
                }
            }
        }

        @Test("a user types and clicks in a real desktop through remote-viewer over DNAT, the CONNECT proxy and the SPICE gateway, and types in the browser console (through the gateway too); the screen follows the viewer's window; the next user of the volatile pool starts clean")
        func typingClickingResizingAndStartingClean() throws {
            try Self.run("desktop-volatile") { _ in
                let pool = DesktopImage.volatilePool
                let alice = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(pool, token: alice)
                #expect(created.status == 201, "\(created)")
                let session = try #require(maybeSession)
                let note = RandomWord.make()

                let direct = try DesktopViewer(session: session, token: alice, label: "desktop-dnat")
                do {
                    defer { direct.stop() }
                    try direct.waitForDesktop()
                    try Self.typeAndReadBack(RandomWord.make(), on: direct)
                    try direct.typeLine("echo \(note) > note; sync")

                    // A right click on the desktop's background (right of and below the terminal) opens IceWM's menu;
                    // clicked again, as a person would, if IceWM was not up yet to answer the first.
                    try Self.openMenu(on: direct)
                    try direct.press("Escape")
                }

                let proxied = try DesktopViewer(session: session, token: alice, label: "desktop-proxy", via: "proxy")
                do {
                    defer { proxied.stop() }
                    try proxied.waitForDesktop(timeout: 60)
                    try Self.typeAndReadBack(RandomWord.make(), on: proxied)
                }

                // Through the SPICE gateway, which takes the link itself and reads the main channel's messages.
                let gatewayed = try DesktopViewer(session: session, token: alice, label: "desktop-gateway", via: "gateway")
                do {
                    defer { gatewayed.stop() }
                    try gatewayed.waitForDesktop(timeout: 60)
                    try Self.typeAndReadBack(RandomWord.make(), on: gatewayed)

                    // The viewer's window shrinks; spice-vdagent (its messages on the main channel) and the QXL display
                    // give the guest its size. Last of the remote-viewer steps: a viewer that connects while the guest
                    // changes size may draw at stale offsets until the next full redraw.
                    let before = try DesktopImage.screenSize(of: session.vm)
                    try gatewayed.resizeWindow(width: 820, height: 620)
                    let after = try waitFor("the guest's screen to follow the window", timeout: 30, interval: 0.5) { () -> (width: Int, height: Int)? in
                        let size = try DesktopImage.screenSize(of: session.vm)
                        return size.width <= 820 && size.width != before.width ? size : nil
                    }
                    print("E2E: the guest's screen went from \(before.width)x\(before.height) to \(after.width)x\(after.height) with the window")
                    #expect(after.height < before.height)
                }

                // The browser console, through the WebSocket gateway: Chromium types on spice-html5's canvas.
                let word = RandomWord.make()
                let browser = try BrowserDesktopScript(user: TestUsers.alice, pool: pool, word: word)
                defer { browser.stop() }
                try browser.value(of: "prompt", timeout: 150)
                let read = try browser.decode(String.self, key: "read", timeout: 60)
                #expect(read.withoutSpaces.contains(word.uppercased()), "\(read)")
                #expect(browser.finish(timeout: 30) == 0, "\(browser.output.suffix(2000))")

                #expect(try API.release(session.id, token: alice).status == 204)
                let bob = try API.login(TestUsers.crowd[0])
                let (again, maybeNext) = try API.requestDesktop(pool, token: bob)
                #expect(again.status == 201, "\(again)")
                let next = try #require(maybeNext)
                #expect(next.vm == session.vm, "the pool's one VM, made anew")
                let fresh = try DesktopViewer(session: next, token: bob, label: "desktop-volatile-next")
                defer { fresh.stop() }
                try fresh.waitForDesktop()
                try fresh.typeInTerminal("cat note")
                let text = try fresh.waitForText("that note is gone") { $0.contains("No such file") }
                #expect(!text.withoutSpaces.contains(note))
            }
        }

        @Test("a persistent desktop keeps what its user wrote for their next session")
        func persistentDesktopKeepsFiles() throws {
            try Self.run("desktop-persistent") { _ in
                let pool = DesktopImage.persistentPool
                let alice = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(pool, token: alice)
                let session = try #require(maybeSession)
                let note = RandomWord.make()
                let first = try DesktopViewer(session: session, token: alice, label: "desktop-persistent-first")
                do {
                    defer { first.stop() }
                    try first.waitForDesktop()
                    try first.typeInTerminal("echo \(note) > note; sync; echo saved | tr a-z A-Z")
                    try first.waitForText("the note saved") { $0.contains("SAVED") }
                }
                #expect(try API.release(session.id, token: alice).status == 204)

                let (_, maybeNext) = try API.requestDesktop(pool, token: alice)
                let next = try #require(maybeNext)
                #expect(next.vm == session.vm, "her own desktop")
                let second = try DesktopViewer(session: next, token: alice, label: "desktop-persistent-second")
                defer { second.stop() }
                try second.waitForDesktop()
                try second.typeInTerminal("rev note | tr a-z A-Z")
                let answer = String(note.reversed()).uppercased()
                try second.waitForText("the note kept: \(answer)") { $0.withoutSpaces.contains(answer) }
            }
        }
    }
}
