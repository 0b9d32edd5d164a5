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
