import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// saffron-spice-pattern, the synthetic SPICE desktop for load tests and benchmarks, seen the way a user sees a
    /// desktop: remote-viewer shows its colour bars and its moving box with the ticket, and nothing without it.
    @Suite struct SpicePattern {
        @Test("remote-viewer shows the moving pattern with the ticket; a wrong ticket is refused; SIGTERM exits 0")
        func patternBehindItsTicket() throws {
            guard getuid() == 0 else { throw CommandError(description: "the end-to-end tests need root") }
            try Topology.up()
            defer { Topology.down() }
            let ticket = "e2e-\(UUID().uuidString.prefix(13))"
            let server = try PatternServer(ticket: ticket)
            defer { server.stop() }
            print("E2E saffron-spice-pattern on 127.0.0.1:\(server.port) (client namespace), log \(server.log.path)")

            let probe = { (ticket: String) in
                try SpiceLinkProbe.link(host: "127.0.0.1", port: server.port, ticket: ticket, from: Topology.client)
            }
            #expect(try probe(ticket) == .accepted)
            #expect(try probe("wrong-\(ticket)") == .permissionDenied)

            let display = try VirtualDisplay(log: E2E.artifact("spice-pattern-xvfb.log"))
            defer { display.stop() }
            let good = Scratch.file("spice-pattern.vv")
            try VirtViewerFile.render(host: "127.0.0.1", port: server.port, password: ticket, title: "spice-pattern")
                .write(to: good, atomically: true, encoding: .utf8)
            let viewerLog = E2E.artifact("spice-pattern.remote-viewer.log")
            let viewer = try RemoteViewer(file: good, display: display, log: viewerLog)
            defer { viewer.stop() }

            let shots = (1...3).map { E2E.artifact("spice-pattern-\($0).png") }
            let shown = try waitFor("remote-viewer to show the pattern's colour bars", timeout: 40, interval: 0.5) {
                () -> PatternMeasure? in
                if let status = viewer.exitStatus {
                    throw CommandError(description: "remote-viewer exited with \(status); see \(viewerLog.path)")
                }
                guard try display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return nil }
                try display.screenshot(to: shots[0])
                let measure = try PatternMeasure.of(shots[0])
                return measure.showsBars ? measure : nil
            }
            print("E2E screenshot (pattern, right ticket): \(shots[0].path): \(shown)")

            // Moving, not just drawn late: each of two further screenshots differs from the one before it.
            for (before, after) in zip(shots, shots.dropFirst()) {
                let changed = try waitFor("the pattern to move on screen", timeout: 10, interval: 0.3) { () -> Int? in
                    try display.screenshot(to: after)
                    let changed = try Self.differingPixels(before, after)
                    return changed >= 500 ? changed : nil
                }
                let measure = try PatternMeasure.of(after)
                print("E2E screenshot (pattern moved, \(changed) pixels changed): \(after.path): \(measure)")
                #expect(measure.showsBars, "the bars stay while the box moves: \(measure)")
            }
            viewer.stop()

            let bad = Scratch.file("spice-pattern-wrong.vv")
            try VirtViewerFile.render(host: "127.0.0.1", port: server.port, password: "wrong-\(ticket)",
                                      title: "spice-pattern-wrong")
                .write(to: bad, atomically: true, encoding: .utf8)
            let refusedShot = E2E.artifact("spice-pattern-wrong-ticket.png")
            try? FileManager.default.removeItem(at: refusedShot)
            let refused = try display.open(bad, screenshot: refusedShot)
            print("E2E screenshot (pattern, wrong ticket): \(refusedShot.path): \(refused)")
            #expect(refused.wasRefused, "\(refused)")
            if FileManager.default.fileExists(atPath: refusedShot.path) {
                let measure = try PatternMeasure.of(refusedShot)
                #expect(!measure.showsBars, "a wrong ticket shows no pattern: \(measure)")
            }

            #expect(server.stop() == 0, "SIGTERM ends saffron-spice-pattern with status 0: \(server.logTail())")
        }

        @Test("without SAFFRON_PATTERN_TICKET saffron-spice-pattern refuses to start, with status 2")
        func refusesWithoutTicket() throws {
            let result = try Command.run(
                ["env", "-u", PatternServer.ticketVariable, PatternServer.binary, "--port", "0"], timeout: 10)
            #expect(result.status == 2, "\(result.summary)")
            #expect(result.errorOutput.contains(PatternServer.ticketVariable), "\(result.summary)")
            #expect(!result.output.contains("listening on"), "\(result.output)")
        }

        /// How many pixels differ between two screenshots of the same display (ImageMagick's `compare -metric AE`,
        /// which exits 0 when they are equal, 1 when they differ, 2 on error, and prints the count on stderr).
        static func differingPixels(_ first: URL, _ second: URL) throws -> Int {
            let result = try Command.run(["compare", "-metric", "AE", first.path, second.path, "null:"])
            let printed = result.errorOutput.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
            guard result.status != 2, let count = Double(printed) else {
                throw CommandError(description: "compare: \(result.summary)")
            }
            return Int(count)
        }
    }
}

/// saffron-spice-pattern in the client namespace on 127.0.0.1 (where remote-viewer and Xvfb run), on a port the
/// kernel picks; stderr kept as an artifact.
final class PatternServer {
    static let ticketVariable = "SAFFRON_PATTERN_TICKET"

    /// Built beside `saffron` (`SAFFRON_BIN`), or looked up in PATH when SAFFRON_BIN is not a path.
    static var binary: String {
        guard E2E.binary.contains("/") else { return "saffron-spice-pattern" }
        return URL(fileURLWithPath: E2E.binary).deletingLastPathComponent()
            .appendingPathComponent("saffron-spice-pattern").path
    }

    let port: Int
    let log: URL
    private let process: BackgroundProcess

    /// Starts the server and waits for its `listening on ADDR:PORT` line.
    init(ticket: String, fps: Int = 30) throws {
        let log = E2E.artifact("spice-pattern.log")
        try? FileManager.default.removeItem(at: log)
        // The ticket travels on stdin into the environment, as the program wants it: never in an argv `ps` shows.
        let script = #"IFS= read -r \#(Self.ticketVariable) && export \#(Self.ticketVariable) && exec "$0" "$@""#
        let process = try BackgroundProcess(
            Topology.inClient(["sh", "-c", script, Self.binary, "--listen", "127.0.0.1", "--port", "0",
                               "--fps", String(fps)]),
            input: Data((ticket + "\n").utf8), stderr: log)
        do {
            port = try waitFor("saffron-spice-pattern to print where it listens", timeout: 15) { () -> Int? in
                if let status = process.wait(timeout: 0) {
                    let why = process.errorOutput
                    throw CommandError(description: "saffron-spice-pattern exited with \(status): \(why)")
                }
                guard let line = process.output.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }),
                      let colon = line.lastIndex(of: ":") else { return nil }
                return Int(line[line.index(after: colon)...])
            }
        } catch {
            process.stop(grace: 5)
            throw error
        }
        self.log = log
        self.process = process
    }

    /// SIGTERM (SIGKILL after 5 s); the exit status. Safe to call more than once.
    @discardableResult
    func stop() -> Int32 {
        process.stop(grace: 5)
    }

    func logTail(_ characters: Int = 2000) -> String {
        String(((try? String(contentsOf: log, encoding: .utf8)) ?? "").suffix(characters))
    }
}

/// What a screenshot shows of the pattern: the share of the screen in each saturated colour of its bars.
struct PatternMeasure: CustomStringConvertible {
    static let bars: [(name: String, red: Double, green: Double, blue: Double)] = [
        ("yellow", 255, 255, 0), ("cyan", 0, 255, 255), ("green", 0, 255, 0),
        ("magenta", 255, 0, 255), ("red", 255, 0, 0), ("blue", 0, 0, 255),
    ]

    /// Per entry of `bars`, the share of the screen within 24 levels of that colour.
    let shares: [Double]

    /// Each bar of the 640x480 pattern is about 91x320 pixels, 2.8% of the 1280x800 screen; nothing else on the white
    /// screen and the viewer's grey window comes near these colours.
    var showsBars: Bool { shares.allSatisfy { $0 >= 0.01 } }

    var description: String {
        zip(Self.bars, shares).map { "\($0.name) \(String(format: "%.3f", $1))" }.joined(separator: ", ")
    }

    /// Measures a PNG from ImageMagick's histogram, whose lines look like "     29440: (255,0,255) #FF00FF magenta".
    static func of(_ png: URL) throws -> PatternMeasure {
        let histogram = try Command.check(["convert", png.path, "-format", "%c", "histogram:info:-"]).output
        var total = 0.0
        var counts = Array(repeating: 0.0, count: bars.count)
        for line in histogram.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"),
                  let count = Double(line[..<colon].trimmingCharacters(in: .whitespaces)),
                  let open = line.firstIndex(of: "("), let close = line[open...].firstIndex(of: ")") else { continue }
            total += count
            let channels = line[line.index(after: open)..<close].split(separator: ",")
                .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard channels.count >= 3 else { continue }
            for (index, bar) in bars.enumerated() where zip(channels, [bar.red, bar.green, bar.blue])
                .allSatisfy({ abs($0 - $1) <= 24 }) {
                counts[index] += count
            }
        }
        guard total > 0 else { throw CommandError(description: "convert printed no histogram for \(png.path)") }
        return PatternMeasure(shares: counts.map { $0 / total })
    }
}
