import Foundation

/// remote-viewer showing a real desktop (`DesktopImage`) on a virtual display of its own in the client namespace,
/// driven as a person would: `xdotool` moves the mouse, clicks and types into the viewer's window, and `tesseract`
/// reads what the screen then shows.
final class DesktopViewer {
    private let viewer: SessionViewer
    private let label: String
    private let vm: String
    private var shots = 0

    /// Opens a fresh console file of `session` (`route` is its `?via=`).
    init(session: DesktopSession, token: String, label: String, via route: String? = nil) throws {
        viewer = try SessionViewer(session: session.id, token: token, label: label, via: route)
        self.label = label
        vm = session.vm
    }

    /// Waits until the desktop's terminal shows its prompt (the VM may still be booting: about half a minute).
    func waitForDesktop(timeout: TimeInterval = 240) throws {
        try waitForText("the desktop's terminal prompt", timeout: timeout) { $0.contains("user@desktop") }
    }

    /// Takes screenshots and reads them until `matches` holds for the text read; returns that text. Each screenshot
    /// stays as an artifact (`LABEL-N.png`) with the text read from it beside it.
    @discardableResult
    func waitForText(_ what: String, timeout: TimeInterval = 30, _ matches: (String) -> Bool) throws -> String {
        var last = ""
        do {
            return try waitFor("the screen to show \(what)", timeout: timeout, interval: 1) { () -> String? in
                last = try readScreen()
                return matches(last) ? last : nil
            }
        } catch let timeout as WaitTimeout {
            throw CommandError(description: "\(timeout); the screen last read:\n\(last)")
        }
    }

    /// The screen's text as tesseract reads it, one line per line of text.
    func readScreen() throws -> String {
        shots += 1
        let png = E2E.artifact("\(label)-\(shots).png")
        try viewer.display.screenshot(to: png)
        let text = try Command.check(["tesseract", png.path, "-", "--psm", "6"], timeout: 60).output
        try? text.write(to: png.deletingPathExtension().appendingPathExtension("txt"), atomically: true, encoding: .utf8)
        return text
    }

    /// Clicks `button` (1 left, 3 right) at `x`, `y` of the viewer's window (its top left corner; the desktop starts
    /// below the viewer's toolbar), wherever the window was placed.
    func click(x: Int, y: Int, button: Int = 1) throws {
        try xdotool(["mousemove", "--window", try window(), "--sync", "\(x)", "\(y)"])
        try xdotool(["click", "\(button)"])
    }

    /// Types `line` and Return into the viewer (the window that has the keyboard).
    func typeLine(_ line: String) throws {
        try xdotool(["type", "--delay", "40", line])
        try xdotool(["key", "Return"])
    }

    /// Clicks into the desktop's terminal (it opens at 40,40 of the desktop, below the viewer's toolbar) and types
    /// `line` and Return there.
    func typeInTerminal(_ line: String) throws {
        try click(x: 250, y: 250)
        try typeLine(line)
    }

    /// Presses one key, e.g. `Escape`.
    func press(_ key: String) throws {
        try xdotool(["key", key])
    }

    /// Gives the viewer's window a new size, as a person dragging its corner would.
    func resizeWindow(width: Int, height: Int) throws {
        try xdotool(["windowsize", try window(), "\(width)", "\(height)"])
    }

    /// The viewer's window (its title names the VM), not the 10x10 leader window.
    private func window() throws -> String {
        let found = try xdotool(["search", "--name", vm]).output
        guard let id = found.split(separator: "\n").first else {
            throw CommandError(description: "no remote-viewer window named after \(vm)")
        }
        return String(id)
    }

    @discardableResult
    private func xdotool(_ arguments: [String]) throws -> CommandResult {
        try Command.check(Topology.inClient(["env", "DISPLAY=\(viewer.display.name)", "xdotool"] + arguments))
    }

    func stop() {
        viewer.stop()
    }
}

/// A random lowercase word of letters that OCR does not mix up, in either case, with digits or each other (no i, j, l,
/// o, s, z, b, g, and no e or f: tesseract once read a capital F on the browser's canvas as E).
enum RandomWord {
    static func make(length: Int = 8) -> String {
        String((0..<length).map { _ in "acdhkmnprtuvwxy".randomElement()! })
    }
}

extension String {
    /// The text without its spaces: tesseract now and then reads a gap into a word.
    var withoutSpaces: String { replacingOccurrences(of: " ", with: "") }
}
