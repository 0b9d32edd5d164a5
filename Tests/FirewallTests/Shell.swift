import Foundation
import Subprocess
import SystemPackage

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

    /// Runs `arguments[0]` (looked up with ``which(_:)``) with the rest as its arguments, through swift-subprocess
    /// (Foundation's `Process` aborts once the test process holds descriptors numbered 1024 or more).
    @discardableResult
    static func run(_ arguments: [String]) async throws -> Result {
        guard let executable = which(arguments[0]) else { throw ShellError(message: "\(arguments[0]) not found") }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(Array(arguments.dropFirst())),
            output: .string(limit: 64 * 1024 * 1024), error: .string(limit: 64 * 1024 * 1024))
        let status: Int32 =
            switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): signal
            }
        return Result(status: status, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
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
}

struct ShellError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
