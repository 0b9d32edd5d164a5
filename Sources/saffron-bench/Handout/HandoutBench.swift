import ArgumentParser
import Broker
import Firewall
import Foundation
import Libvirt
import Store

/// `saffron-bench handout`: handout latency and rate against a warm pool, side by side for each firewall backend.
struct HandoutBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: """
            Handout benchmark: N users take and give back desktops of a warm pool, once with no firewall and once \
            with the iptables backend (in a private network namespace); prints p50/p99 latency, rate and ratios.
            """)

    @Option(help: "libvirt URI of the warm pool's VMs (test:///default needs no VMs; qemu:///system uses real ones).")
    var connect = "test:///default"
    @Option(help: "How many VMs the pool has (defined by the benchmark on test:///default).") var vms = 50
    @Option(help: "Handouts per backend.") var handouts = 2000
    @Option(help: "Concurrent users.") var concurrency = 8
    @Option(help: ArgumentHelp(
        "Compare stores instead of firewalls: a PostgreSQL server (postgres://USER@HOST/DATABASE) on which the benchmark makes and drops databases of its own.",
        valueName: "url"))
    var database: String?
    @Option(help: "With --database: runs with 1 up to this many brokers on PostgreSQL.") var brokers = 3

    func validate() throws {
        guard (1...8).contains(brokers) else { throw ValidationError("--brokers takes 1 to 8.") }
        guard concurrency >= 1, handouts >= concurrency else { throw ValidationError("--handouts must be at least --concurrency (1 or more).") }
    }

    func run() async throws {
        guard getuid() == 0 else { throw ValidationError("Run as root: the firewall backends need a network namespace.") }
        if let database {
            return try await StoreComparison(
                url: database, connect: connect, vms: vms, handouts: handouts, concurrency: concurrency, brokers: brokers
            ).run()
        }
        let pool = try await WarmPool.make(connect: connect, count: vms)
        let namespace = try BenchNamespace.create()
        defer { namespace.delete() }
        var results: [(String, HandoutStats)] = []
        for (name, forwarder) in [
            ("none", NoForwarder() as any PortForwarder),
            ("iptables", IptablesForwarder(chain: "SAFFRON", masquerade: true, networkNamespace: namespace.name)),
        ] {
            let (run, cleanUp) = try HandoutRun.onSQLite(pool: pool, forwarder: forwarder, handouts: handouts, concurrency: concurrency)
            defer { cleanUp() }
            let stats = try await run.run()
            results.append((name, stats))
            print(stats.line(label: name))
        }
        if let base = results.first?.1, let fw = results.last?.1 {
            print(String(format: "ratio iptables/none: p50 %.1fx, p99 %.1fx, rate %.2fx", fw.p50 / base.p50, fw.p99 / base.p99, fw.rate / base.rate))
            print("target for later: p99 <= 60 ms and >= 150 handouts/s with the real firewall on 2 cores")
        }
        try await pool.tearDown()
    }
}
