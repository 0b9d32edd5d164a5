import Foundation

/// A private network namespace for the firewall backend under test, so the benchmark never touches the host's rules.
struct BenchNamespace {
    let name: String

    static func create() throws -> BenchNamespace {
        let name = "saffron-bench-\(getpid())"
        try run(["ip", "netns", "add", name])
        try run(["ip", "-n", name, "link", "set", "lo", "up"])
        return BenchNamespace(name: name)
    }

    func delete() {
        try? Self.run(["ip", "netns", "delete", name])
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(arguments.joined(separator: " ")) failed"])
        }
    }
}
