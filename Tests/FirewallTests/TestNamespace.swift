import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway network namespace for one real test, always deleted afterwards.
struct TestNamespace: Sendable {
    let name: String

    /// Real tests need root, `ip` and `iptables`.
    static let isUsable: Bool = getuid() == 0
        && Shell.which("ip") != nil && Shell.which("iptables") != nil
        && Shell.which("iptables-save") != nil && Shell.which("iptables-restore") != nil

    /// Creates `saffron-fwtest-<random>` with loopback up, runs `body`, and deletes it even when
    /// `body` throws.
    static func with<T: Sendable>(_ body: (TestNamespace) async throws -> T) async throws -> T {
        let name = "saffron-fwtest-" + String(UInt32.random(in: .min ... .max), radix: 16)
        try await Shell.check(["ip", "netns", "add", name])
        let namespace = TestNamespace(name: name)
        do {
            try await Shell.check(["ip", "-n", name, "link", "set", "lo", "up"])
            let value = try await body(namespace)
            try await namespace.delete()
            return value
        } catch {
            try? await namespace.delete()
            throw error
        }
    }

    private func delete() async throws {
        try await Shell.check(["ip", "netns", "del", name])
    }

    /// Runs a program inside the namespace.
    @discardableResult
    func run(_ arguments: [String]) async throws -> Shell.Result {
        try await Shell.run(["ip", "netns", "exec", name] + arguments)
    }

    /// The rule lines (`-A ...`) and chain names of the nat table, from `iptables-save -t nat`.
    func natTable() async throws -> (rules: [String], chains: [String]) {
        let result = try await run(["iptables-save", "-t", "nat"])
        guard result.status == 0 else { throw ShellError(message: "iptables-save: \(result.stderr)") }
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let chains = lines.filter { $0.hasPrefix(":") }.compactMap { $0.dropFirst().split(separator: " ").first.map(String.init) }
        return (lines.filter { $0.hasPrefix("-A ") }, chains)
    }
}
