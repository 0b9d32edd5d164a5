import Firewall
import Foundation
import Logging
import PostgresStore
import Store

/// `saffron-bench handout --database URL`: the same handouts on one broker with SQLite, then on 1...N brokers
/// sharing one PostgreSQL database, each broker with its own nftables forwarder in a network namespace of its own.
struct StoreComparison {
    let url: String
    let connect: String
    let vms: Int
    let handouts: Int
    let concurrency: Int
    let brokers: Int

    func run() async throws {
        let server = try PostgresLocation(url: url)
        let pool = try await WarmPool.make(connect: connect, count: vms)
        var namespaces: [BenchNamespace] = []
        defer { namespaces.forEach { $0.delete() } }
        for _ in 0..<brokers { namespaces.append(try BenchNamespace.create()) }
        let forwarders: [any PortForwarder] = namespaces.map {
            NftablesForwarder(networkNamespace: $0.name, logger: HandoutRun.quietLogger)
        }

        var rows: [(String, HandoutStats)] = []
        let (sqlite, cleanUp) = try HandoutRun.onSQLite(pool: pool, forwarder: forwarders[0], handouts: handouts, concurrency: concurrency)
        rows.append(("sqlite x1", try await sqlite.run()))
        cleanUp()
        print(rows[0].1.line(label: rows[0].0))
        for count in 1...brokers {
            let location = try await Self.makeDatabase(on: server)
            let stores = try (0..<count).map { _ in try PostgresStore(location: location, logger: HandoutRun.quietLogger) }
            for store in stores { try await store.prepare() }
            let run = HandoutRun(
                pool: pool, brokers: zip(stores, forwarders).map { ($0 as any Store, $1) }, handouts: handouts,
                concurrency: concurrency)
            let label = "pg x\(count)"
            rows.append((label, try await run.run()))
            print(rows.last!.1.line(label: label))
            stores.forEach { $0.close() }
            try await Self.dropDatabase(location.database, on: server)
        }
        let sqliteStats = rows[0].1
        for (label, stats) in rows.dropFirst() {
            print(String(
                format: "%@ against sqlite x1: p50 %+.2f ms, rate %.2fx", label, stats.p50 - sqliteStats.p50, stats.rate / sqliteStats.rate))
        }
        if let one = rows.first(where: { $0.0 == "pg x1" })?.1, let last = rows.last, rows.count > 2 {
            print(String(format: "%@ against pg x1: rate %.2fx", last.0, last.1.rate / one.rate))
        }
        print("goal: PostgreSQL adds <= 2 ms to the handout p50; 3 brokers >= 2.5x one broker's rate where the database is not the limit")
        try await pool.tearDown()
    }

    /// A fresh database next to the URL's, for one run.
    static func makeDatabase(on server: PostgresLocation) async throws -> PostgresLocation {
        try await PostgresDatabases.create(
            "saffron_bench_\(UUID().uuidString.prefix(8).lowercased())", on: server, logger: HandoutRun.quietLogger)
    }

    static func dropDatabase(_ name: String, on server: PostgresLocation) async throws {
        try await PostgresDatabases.drop(name, on: server, logger: HandoutRun.quietLogger)
    }
}
