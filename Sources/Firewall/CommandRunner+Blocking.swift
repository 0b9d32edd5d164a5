import Dispatch
import Foundation

extension CommandRunner {
    /// Runs the process to completion on the current thread.
    ///
    /// stdin is an unlinked temporary file rather than a pipe: a program that exits early (say
    /// `iptables-restore` rejecting line 2) would otherwise make our write raise SIGPIPE and kill
    /// the broker. stdout and stderr are pipes drained on two threads, so neither can fill and
    /// block the program.
    static func runBlocking(_ executable: URL, _ arguments: [String], input: String?) throws -> CommandResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let inputHandle = try input.map(inputFile)
        process.standardInput = inputHandle ?? FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        // Foundation leaves these descriptors open until the handles are collected, which under load is
        // later than the next spawn: close every one explicitly so a busy broker does not run out.
        defer {
            for handle in [inputHandle, stdout.fileHandleForReading, stdout.fileHandleForWriting,
                           stderr.fileHandleForReading, stderr.fileHandleForWriting].compactMap({ $0 }) {
                try? handle.close()
            }
        }
        process.standardOutput = stdout
        process.standardError = stderr

        // Wait through the termination handler: `waitUntilExit()` spins a run loop on threads
        // that have none, burning a core while the program runs.
        let group = DispatchGroup()
        group.enter()
        process.terminationHandler = { _ in group.leave() }
        try process.run()

        let errorOutput = OutputBox()
        group.enter()
        DispatchQueue.global().async {
            errorOutput.data = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        return CommandResult(
            status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errorOutput.data, as: UTF8.self)
        )
    }

    /// Writes `input` to a fresh 0600 file, opens it for reading and unlinks it at once.
    private static func inputFile(_ input: String) throws -> FileHandle {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("saffron-firewall-\(UUID().uuidString).rules")
        guard FileManager.default.createFile(
            atPath: url.path, contents: Data(input.utf8), attributes: [.posixPermissions: 0o600]
        ) else { throw FirewallError("cannot write temporary file \(url.path)") }
        defer { try? FileManager.default.removeItem(at: url) }
        return try FileHandle(forReadingFrom: url)
    }
}

/// Carries stderr bytes from the reading thread back to the waiting one.
///
/// `@unchecked Sendable` is safe: `data` is written once before `group.leave()` and read only
/// after `group.wait()`, and the group orders those accesses.
private final class OutputBox: @unchecked Sendable {
    var data = Data()
}
