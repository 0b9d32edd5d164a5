import Foundation

/// A private network namespace for a firewall backend under test, so a benchmark never touches the host's rules.
struct BenchNamespace: Sendable {
    let name: String

    /// Creates `saffron-bench-<pid>-<random>` with loopback up; delete it with `delete()`.
    static func create() throws -> BenchNamespace {
        let name = "saffron-bench-\(getpid())-" + String(UInt16.random(in: .min ... .max), radix: 16)
        try run(["ip", "netns", "add", name])
        try run(["ip", "-n", name, "link", "set", "lo", "up"])
        return BenchNamespace(name: name)
    }

    func delete() {
        try? Self.run(["ip", "netns", "delete", name])
    }

    /// Runs `arguments` inside the namespace, feeding `input`.
    func run(_ arguments: [String], input: String? = nil) throws {
        try Self.run(["ip", "netns", "exec", name] + arguments, input: input)
    }

    /// Runs a program (found through `env`, never a shell); throws with its stderr when it fails.
    static func run(_ arguments: [String], input: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchFailure("\(arguments.prefix(6).joined(separator: " ")) failed: \(text)")
        }
    }
}
