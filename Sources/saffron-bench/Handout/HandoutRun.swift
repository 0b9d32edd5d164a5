import Broker
import DNATAccess
import Firewall
import Foundation
import LibvirtHypervisor
import Logging
import Store

/// Latencies of one backend's run.
struct HandoutStats {
    let latencies: [Double]  // milliseconds, sorted
    let seconds: Double

    var p50: Double { percentile(0.50) }
    var p99: Double { percentile(0.99) }
    var rate: Double { Double(latencies.count) / seconds }

    func percentile(_ p: Double) -> Double {
        latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    }

    func line(label: String) -> String {
        String(format: "%-9@ handouts %5d  p50 %7.2f ms  p99 %7.2f ms  %7.1f handout+release cycles/s", label as NSString, latencies.count, p50, p99, rate)
    }
}

/// `concurrency` users in a loop: take a desktop, give it back, until `handouts` desktops were handed out. Users are
/// spread over the brokers (one forwarder and one store each, all on one database, as separate broker machines
/// would be).
struct HandoutRun {
    let pool: WarmPool
    let brokers: [(store: any Store, forwarder: any PortForwarder)]
    let handouts: Int
    let concurrency: Int

    /// One broker on a fresh SQLite file.
    static func onSQLite(pool: WarmPool, forwarder: any PortForwarder, handouts: Int, concurrency: Int) throws -> (HandoutRun, cleanUp: () -> Void) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-bench-\(UUID().uuidString)")
        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path)
        let run = HandoutRun(pool: pool, brokers: [(store, forwarder)], handouts: handouts, concurrency: concurrency)
        return (run, { try? FileManager.default.removeItem(at: folder) })
    }

    func run() async throws -> HandoutStats {
        let instances = brokers.map { store, forwarder in
            let settings = BrokerSettings(
                publicAddress: "198.51.100.1", portRange: 20000...29999, ticketValidity: 60,
                connectURIs: ConnectURIPolicy(allowed: [pool.connect]))
            return Broker(
                store: store, hypervisor: LibvirtHypervisor(connections: [pool.connection]),
                accessPaths: [DNATAccess(forwarder: forwarder, settings: settings)], settings: settings,
                logger: Self.quietLogger)
        }
        let first = instances[0]
        try await first.createPool(name: "bench", connectURI: pool.connect)
        try await first.addVMs(pool.domains, toPool: "bench")
        for broker in instances { try await broker.restoreForwarding() }
        var users: [UserRecord] = []
        for index in 0..<concurrency {
            let user = UserRecord(name: "user\(index)", passwordHash: "-", isAdmin: false, createdAt: Date())
            try await brokers[0].store.addUser(user)
            users.append(user)
        }
        let perUser = handouts / concurrency
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for (index, user) in users.enumerated() {
                let broker = instances[index % instances.count]
                group.addTask {
                    var own: [Double] = []
                    for _ in 0..<perUser {
                        let begin = ContinuousClock.now
                        let handout = try await broker.desktop(inPool: "bench", for: user, clientAddress: "203.0.113.\(index + 1)")
                        own.append(Self.milliseconds(ContinuousClock.now - begin))
                        try await broker.endSession(id: handout.session.id, requestedBy: nil)
                    }
                    return own
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return HandoutStats(latencies: latencies.sorted(), seconds: Self.milliseconds(ContinuousClock.now - start) / 1000)
    }

    /// Errors only: the test driver cannot revoke tickets, and per-handout info lines would swamp the output.
    static let quietLogger: Logger = {
        var logger = Logger(label: "saffron-bench")
        logger.logLevel = .critical
        return logger
    }()

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
