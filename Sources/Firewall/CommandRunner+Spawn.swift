import Foundation
import Subprocess
import SystemPackage

extension CommandRunner {
    /// The most output kept of one program run: `iptables-save` of 50,000 sessions writes about 10 MB.
    static let outputLimit = 256 * 1024 * 1024

    /// Runs the program to completion with swift-subprocess, which spawns with `posix_spawn` and closes the broker's
    /// other descriptors in the child with `closefrom`. Foundation's `Process` is not used: it watches its children
    /// through `select(2)`, which aborts the process once a descriptor numbered 1024 or more is in play, as it is in a
    /// broker holding hundreds of consoles.
    ///
    /// stdin is an unlinked temporary file rather than a pipe: a program that exits early (say `iptables-restore`
    /// rejecting line 2) would otherwise make our write raise SIGPIPE and kill the broker.
    static func spawn(_ executable: URL, _ arguments: [String], input: String?) async throws -> CommandResult {
        let stdin = try input.map(inputFile) ?? FileDescriptor.open("/dev/null", .readOnly, options: .closeOnExec)
        defer { try? stdin.close() }
        let result = try await Subprocess.run(
            .path(FilePath(executable.path)), arguments: Arguments(arguments),
            input: .fileDescriptor(stdin, closeAfterSpawningProcess: false),
            output: .string(limit: outputLimit), error: .string(limit: outputLimit))
        let status: Int32 =
            switch result.terminationStatus {
            case .exited(let code): code
            case .signaled(let signal): signal
            }
        return CommandResult(status: status, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
    }

    /// Writes `input` to a fresh 0600 file, opens it for reading and unlinks it at once.
    private static func inputFile(_ input: String) throws -> FileDescriptor {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("saffron-firewall-\(UUID().uuidString).rules").path
        guard FileManager.default.createFile(atPath: path, contents: Data(input.utf8), attributes: [.posixPermissions: 0o600])
        else { throw FirewallError("cannot write temporary file \(path)") }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try FileDescriptor.open(path, .readOnly, options: .closeOnExec)
    }
}
