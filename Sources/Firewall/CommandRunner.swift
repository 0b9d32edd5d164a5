import Foundation

/// The outcome of one program run.
struct CommandResult: Sendable {
    /// The exit status (or the terminating signal number).
    var status: Int32
    /// Everything the program wrote to stdout.
    var stdout: String
    /// Everything the program wrote to stderr.
    var stderr: String
}

/// Runs programs with argument arrays (never a shell), optionally inside a network namespace.
struct CommandRunner: Sendable {
    /// When set, programs run as `ip netns exec NS <program> ...`.
    var networkNamespace: String?

    /// Runs `program` with `arguments`, feeding `input` on stdin, and returns its status and output.
    func run(_ program: String, _ arguments: [String], input: String? = nil) async throws -> CommandResult {
        var executable = try Self.resolve(program)
        var arguments = arguments
        if let networkNamespace {
            arguments = ["netns", "exec", networkNamespace, executable.path] + arguments
            executable = try Self.resolve("ip")
        }
        return try await Self.spawn(executable, arguments, input: input)
    }

    /// Searches `PATH`, then the sbin and bin directories, for an executable named `program`.
    static func resolve(_ program: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
        for directory in directories where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw FirewallError("program \(program) not found in PATH or /usr/sbin, /sbin, /usr/bin, /bin")
    }
}
