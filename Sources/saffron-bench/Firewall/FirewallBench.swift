import ArgumentParser
import Firewall
import Foundation
import Logging

/// `saffron-bench firewall`: how long one session's forwarding change takes with many sessions live, for the
/// nftables backend, the iptables backend and a naive `iptables -A`/`-D` per rule, each in a fresh namespace.
struct FirewallBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall",
        abstract: "Install/remove latency of one session's forwarding with N sessions live, and a full rebuild, per backend.")

    @Option(help: "Live session counts to measure at, comma-separated.") var sessions = "100,10000,50000"
    @Option(help: "Install+remove pairs measured per count and backend (at most 20 for the process-per-change ones).")
    var changes = 200

    enum Backend: String, CaseIterable {
        case nftables, iptables
        case naive = "naive iptables -A/-D"
    }

    struct Row {
        var backend: Backend
        var sessions: Int
        var rebuild: Duration?
        var install: [Duration]
        var remove: [Duration]
    }

    func run() async throws {
        guard getuid() == 0 else { throw BenchFailure("the firewall benchmark needs root (it makes network namespaces)") }
        let counts = sessions.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ (1...200_000).contains($0) }) else {
            throw ValidationError("--sessions takes counts 1-200000, e.g. 100,10000,50000")
        }
        var rows: [Row] = []
        for count in counts {
            for backend in Backend.allCases {
                FileHandle.standardError.write(Data("… \(count) sessions, \(backend.rawValue)\n".utf8))
                rows.append(try await measure(backend, sessions: count))
            }
        }
        FirewallBenchReport(rows: rows).print()
    }

    /// The rule of session `index`: distinct client address and public port per session.
    static func rule(_ index: Int) -> ForwardRule {
        ForwardRule(
            sessionID: "bench-\(index)", clientAddress: "10.\((index >> 16) & 255).\((index >> 8) & 255).\(index & 255)",
            publicAddress: "192.0.2.1", publicPort: 20000 + index % 40000, targetAddress: "198.51.100.\(index % 250 + 1)",
            targetPort: 5900 + index % 1000)
    }

    private func measure(_ backend: Backend, sessions count: Int) async throws -> Row {
        let namespace = try BenchNamespace.create()
        defer { namespace.delete() }
        let live = (0..<count).map(Self.rule)
        let pairs = backend == .nftables ? changes : min(changes, 20)
        let extra = (0..<pairs).map { Self.rule(count + $0) }
        let clock = ContinuousClock()
        var row = Row(backend: backend, sessions: count, install: [], remove: [])
        var logger = Logger(label: "saffron.bench.firewall")
        logger.logLevel = .warning
        switch backend {
        case .nftables, .iptables:
            let forwarder: any PortForwarder =
                backend == .nftables
                ? NftablesForwarder(networkNamespace: namespace.name, logger: logger)
                : IptablesForwarder(networkNamespace: namespace.name, logger: logger)
            row.rebuild = try await clock.measure { try await forwarder.rebuild(live) }
            for rule in extra {
                row.install.append(try await clock.measure { try await forwarder.install(rule) })
                row.remove.append(try await clock.measure { try await forwarder.remove(rule) })
            }
        case .naive:
            try namespace.run(["iptables-restore", "-w", "--noflush"], input: Self.naiveFill(live))
            for rule in extra {
                row.install.append(try clock.measure { try namespace.run(Self.naiveCommand("-A", rule)) })
                row.remove.append(try clock.measure { try namespace.run(Self.naiveCommand("-D", rule)) })
            }
        }
        return row
    }

    /// `iptables -t nat -A|-D SAFFRON-NAIVE …` for one session, as a per-rule tool would run it.
    static func naiveCommand(_ verb: String, _ rule: ForwardRule) -> [String] {
        ["iptables", "-w", "-t", "nat", verb, "SAFFRON-NAIVE"] + naiveArguments(rule)
    }

    static func naiveArguments(_ rule: ForwardRule) -> [String] {
        [
            "-s", rule.clientAddress + "/32", "-d", rule.publicAddress + "/32", "-p", "tcp", "-m", "tcp", "--dport",
            String(rule.publicPort), "-j", "DNAT", "--to-destination", "\(rule.targetAddress):\(rule.targetPort)",
        ]
    }

    /// The naive chain, jumped to from PREROUTING, filled with `rules` in one restore (setup, not measured).
    static func naiveFill(_ rules: [ForwardRule]) -> String {
        var batch = "*nat\n:SAFFRON-NAIVE - [0:0]\n-A PREROUTING -j SAFFRON-NAIVE\n"
        for rule in rules { batch += "-A SAFFRON-NAIVE " + naiveArguments(rule).joined(separator: " ") + "\n" }
        return batch + "COMMIT\n"
    }
}
