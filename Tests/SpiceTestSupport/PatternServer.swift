import Foundation

/// `saffron-spice-pattern` (a real libspice-server desktop), built beside the test bundle, serving on a loopback port
/// of its choosing with `ticket` as its password, until stopped (or released).
public final class PatternServer {
    /// What went wrong starting it.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The port it serves SPICE on.
    public let port: Int
    private let process: Process

    public init(ticket: String) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("saffron-spice-pattern")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw Failure(description: "build the package first: \(binary.path)")
        }
        process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1", "--port", "0", "--fps", "1"]
        process.environment = ["SAFFRON_PATTERN_TICKET": ticket]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // It prints `listening on 127.0.0.1:PORT` once it listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let port = text.split(separator: "\n").first?.split(separator: ":").last.flatMap({ Int($0) }) else {
            process.terminate()
            process.waitUntilExit()
            throw Failure(description: "saffron-spice-pattern said \(text.debugDescription)")
        }
        self.port = port
    }

    deinit { stop() }

    /// Stops the server (again: nothing).
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Runs a server for the length of `body`, which gets its port.
    public static func run<Result>(ticket: String, _ body: (Int) throws -> Result) throws -> Result {
        let server = try PatternServer(ticket: ticket)
        defer { server.stop() }
        return try body(server.port)
    }
}
