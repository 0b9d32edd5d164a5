import Dispatch
import Foundation

/// Runs programs for the real tests, off the test's thread, without a shell.
enum Shell {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Finds `program` in PATH or the sbin/bin directories.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        return dirs.map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `arguments[0]` (looked up with ``which(_:)``) with the rest as its arguments.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> Result {
        guard let executable = which(arguments[0]) else { throw ShellError(message: "\(arguments[0]) not found") }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Swift.Result { try runBlocking(executable, Array(arguments.dropFirst())) })
            }
        }
    }

    /// Like ``run(_:)`` but throws unless the program exits 0.
    @discardableResult
    static func check(_ arguments: [String]) async throws -> Result {
        let result = try await run(arguments)
        guard result.status == 0 else {
            throw ShellError(message: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // A semaphore, not `waitUntilExit()`, which spins a run loop on dispatch threads.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Outputs here are small; stderr after stdout is safe because both fit in a pipe buffer.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}

struct ShellError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
