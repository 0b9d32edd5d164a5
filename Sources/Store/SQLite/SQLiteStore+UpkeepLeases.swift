import Foundation
import GRDB

extension SQLiteStore {
    public func holdUpkeepLease(pool: String, holder: String, now: Date, duration: TimeInterval) async throws -> Bool {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { return false }
            try db.execute(
                sql: """
                    INSERT INTO upkeep_leases (pool_name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (pool_name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE upkeep_leases.holder = excluded.holder OR upkeep_leases.expires_at <= ?
                    """,
                arguments: [pool, holder, now.addingTimeInterval(duration), now])
            return db.changesCount == 1
        }
    }

    public func upkeepLeases() async throws -> [UpkeepLease] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM upkeep_leases ORDER BY pool_name").map { row in
                UpkeepLease(pool: row["pool_name"], holder: row["holder"], expiresAt: row["expires_at"])
            }
        }
    }
}
