import Foundation

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
