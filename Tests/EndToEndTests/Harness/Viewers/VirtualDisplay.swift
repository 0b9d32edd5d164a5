import Foundation
import Synchronization

/// An Xvfb display with a white root window inside the client namespace, where remote-viewer shows desktops.
/// On white, the guest's black SeaBIOS console is the only large black area, which makes it measurable.
final class VirtualDisplay {
    let number: Int
    private let server: BackgroundProcess

    var name: String { ":\(number)" }

    /// Starts Xvfb on the first free display from :97 and waits until it accepts clients.
    init(log: URL) throws {
        let number = try Self.freeDisplayNumber()
        let display = ":\(number)"
        let server = try BackgroundProcess(
            Topology.inClient(["Xvfb", display, "-screen", "0", "1280x800x24", "-wr", "-nolisten", "tcp"]),
            stdout: log, stderr: log)
        do {
            try waitUntil("Xvfb \(display) to accept clients", timeout: 15) {
                if let status = server.wait(timeout: 0) {
                    throw CommandError(description: "Xvfb \(display) exited with \(status); see \(log.path)")
                }
                // Clients connect through the socket file too: wait for it as well as for an answer.
                guard FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)") else { return false }
                return try Command.run(Topology.inClient(["xwininfo", "-root", "-display", display])).status == 0
            }
        } catch {
            server.stop()
            throw error
        }
        self.number = number
        self.server = server
    }

    /// Stops Xvfb (and with it every client still on the display). Removes the lock file and socket too when
    /// Xvfb had to be killed and could not remove them itself.
    func stop() {
        server.stop()
        let lock = "/tmp/.X\(number)-lock"
        let owner = (try? String(contentsOfFile: lock, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if owner == String(server.pid) {
            try? FileManager.default.removeItem(atPath: lock)
            try? FileManager.default.removeItem(atPath: "/tmp/.X11-unix/X\(number)")
        }
    }

    /// The names of the display's named windows, e.g. "Authentication required".
    func windowNames() throws -> [String] {
        let tree = try Command.check(Topology.inClient(["xwininfo", "-root", "-tree", "-display", name])).output
        return tree.split(separator: "\n").compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("0x"), let open = text.firstIndex(of: "\"") else { return nil }
            let rest = text[text.index(after: open)...]
            guard let close = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<close])
        }
    }

    /// Writes a PNG of the whole screen: `xwd` to a file, then ImageMagick's `convert`. xwd's GetImage now and
    /// then fails while a window is being mapped or resized, so it gets three tries.
    func screenshot(to png: URL) throws {
        let xwd = Scratch.file("screen.xwd")
        defer { try? FileManager.default.removeItem(at: xwd) }
        let capture = Topology.inClient(["xwd", "-root", "-silent", "-display", name, "-out", xwd.path])
        var attempt = 1
        while try Command.run(capture).status != 0 {
            guard attempt < 3 else {
                try Command.check(capture)
                break
            }
            attempt += 1
        }
        try Command.check(["convert", "xwd:\(xwd.path)", "png:\(png.path)"])
    }

    /// Where the search for a free display starts next: each display of a run gets a number of its own, so a new
    /// display never races the shutdown of the last one on the same number (its socket, its lock).
    private static let nextNumber = Mutex(97)

    private static func freeDisplayNumber() throws -> Int {
        let taken = { (number: Int) in
            FileManager.default.fileExists(atPath: "/tmp/.X\(number)-lock")
                || FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(number)")
        }
        return try nextNumber.withLock { next in
            let candidates = Array(next...199) + Array(97..<next)  // wraps around after :199
            guard let free = candidates.first(where: { !taken($0) }) else {
                throw CommandError(description: "no free X display between :97 and :199")
            }
            next = free == 199 ? 97 : free + 1
            return free
        }
    }
}

/// What a screenshot shows where the guest's console should be, measured with ImageMagick.
struct ScreenMeasure: Equatable, CustomStringConvertible {
    /// The share of the screen covered by the largest connected near-black area (darker than 10% grey).
    let largestBlackArea: Double
    /// The share of light pixels (over 50% grey) inside that area: the console's text.
    let textInBlackArea: Double

    static let nothing = ScreenMeasure(largestBlackArea: 0, textInBlackArea: 0)

    /// The SeaBIOS console: a large black area (720x400 of the 1280x800 white root is 0.28; the viewer's
    /// password dialog is 0.07) with grey text in it. Its first two lines are about 0.008, a blank screen 0;
    /// asking for half of that waits until the banner is complete, so the saved screenshot is readable.
    var showsGuestConsole: Bool { largestBlackArea >= 0.15 && textInBlackArea >= 0.004 }

    var description: String {
        String(format: "largest black area %.3f of the screen, text %.4f of it", largestBlackArea, textInBlackArea)
    }

    /// Measures a PNG: ImageMagick's connected components find the largest black area, then the share of light
    /// pixels inside it (1 pixel in from its edges, away from the window border) is counted.
    static func of(_ png: URL) throws -> ScreenMeasure {
        let components = try Command.check([
            "convert", png.path, "-colorspace", "Gray", "-threshold", "10%",
            "-define", "connected-components:verbose=true", "-connected-components", "4", "null:",
        ]).output
        // Lines look like "  34: 722x401+4+50 366.0,251.7 286020 gray(0)".
        let black = components.split(separator: "\n").compactMap { line -> (box: [Int], area: Int)? in
            let fields = line.split(separator: " ")
            guard fields.count >= 5, ["gray(0)", "black", "srgb(0,0,0)", "#000000"].contains(String(fields[4])),
                  let area = Int(fields[3]) else { return nil }
            let box = fields[1].split(whereSeparator: { "x+".contains($0) }).compactMap { Int($0) }
            return box.count == 4 ? (box, area) : nil
        }
        guard let largest = black.max(by: { $0.area < $1.area }) else { return .nothing }
        let (width, height, x, y) = (largest.box[0], largest.box[1], largest.box[2], largest.box[3])
        let screen = try number(Command.check(["convert", png.path, "-format", "%[fx:w*h]", "info:"]).output)
        guard width > 4, height > 4, screen > 0 else { return .nothing }
        let light = try number(Command.check([
            "convert", png.path, "-crop", "\(width - 2)x\(height - 2)+\(x + 1)+\(y + 1)", "+repage",
            "-colorspace", "Gray", "-threshold", "50%", "-format", "%[fx:mean]", "info:",
        ]).output)
        return ScreenMeasure(largestBlackArea: Double(largest.area) / screen, textInBlackArea: light)
    }

    private static func number(_ text: String) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = Double(trimmed) else {
            throw CommandError(description: "convert printed '\(trimmed)', not a number")
        }
        return value
    }
}
