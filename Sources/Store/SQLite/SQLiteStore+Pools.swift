import Foundation
import GRDB

extension SQLiteStore {
    public func addPool(_ pool: PoolRecord) async throws {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM pools WHERE name = ?", arguments: [pool.name]) != nil {
                throw StoreError.poolExists(pool.name)
            }
            try db.execute(
                sql: "INSERT INTO pools (name, connect_uri, created_at) VALUES (?, ?, ?)",
                arguments: [pool.name, pool.connectURI, pool.createdAt])
        }
    }

    public func pool(named name: String) async throws -> PoolRecord? {
        try await read { db in try Self.fetchPool(db, named: name) }
    }

    public func poolSummaries() async throws -> [PoolSummary] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT pools.*,
                        (SELECT COUNT(*) FROM vms WHERE vms.pool_name = pools.name) AS vm_count,
                        (SELECT COUNT(*) FROM sessions WHERE sessions.pool_name = pools.name) AS session_count
                    FROM pools ORDER BY pools.name
                    """
            ).map { row in
                let vmCount: Int = row["vm_count"]
                let sessionCount: Int = row["session_count"]
                return PoolSummary(pool: PoolRecord(row: row), vmCount: vmCount, freeVMCount: vmCount - sessionCount)
            }
        }
    }

    public func addVMs(_ names: [String], toPool pool: String, now: Date) async throws {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            for name in names {
                if let holder = try String.fetchOne(db, sql: "SELECT pool_name FROM vms WHERE name = ?", arguments: [name]) {
                    throw StoreError.vmInPool(vm: name, pool: holder)
                }
                try db.execute(
                    sql: "INSERT INTO vms (name, pool_name, added_at) VALUES (?, ?, ?)",
                    arguments: [name, pool, now])
            }
        }
    }

    public func vms(inPool pool: String) async throws -> [VMRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vms WHERE pool_name = ? ORDER BY name", arguments: [pool]).map {
                VMRecord(name: $0["name"], pool: $0["pool_name"], addedAt: $0["added_at"])
            }
        }
    }

    static func fetchPool(_ db: Database, named name: String) throws -> PoolRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM pools WHERE name = ?", arguments: [name]).map(PoolRecord.init(row:))
    }
}

extension PoolRecord {
    init(row: Row) {
        self.init(name: row["name"], connectURI: row["connect_uri"], createdAt: row["created_at"])
    }
}
