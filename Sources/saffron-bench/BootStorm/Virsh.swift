import Foundation

/// `virsh` on one libvirt connection, for the few steps the Libvirt module has no call for (transient storage
/// pools). Arguments are passed as an array, never through a shell.
struct Virsh: Sendable {
    let connect: String

    /// Runs `virsh -q -c URI arguments…`; throws with virsh's own message when it fails.
    func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["virsh", "-q", "-c", connect] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BenchFailure("virsh \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }
}
