import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func holdUpkeepLease(pool: String, holder: String, now: Date, duration: TimeInterval) async throws -> Bool {
        // One upsert: PostgreSQL settles brokers taking a free pool at once. A pool deleted meanwhile fails the foreign
        // key: no lease, as for a pool that never was.
        do {
            return try await statement { db, logger in
                try await db.count(
                    """
                    INSERT INTO upkeep_leases (pool_name, holder, expires_at)
                    VALUES (\(pool), \(holder), \(now.addingTimeInterval(duration)))
                    ON CONFLICT (pool_name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE upkeep_leases.holder = excluded.holder OR upkeep_leases.expires_at <= \(now)
                    RETURNING 1
                    """, logger: logger) == 1
            }
        } catch let error as PostgresStoreError where error.sqlState == "23503" {
            return false
        }
    }

    public func upkeepLeases() async throws -> [UpkeepLease] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM upkeep_leases ORDER BY pool_name", logger: logger).map { row in
                UpkeepLease(pool: try row.get("pool_name"), holder: try row.get("holder"), expiresAt: try row.get("expires_at"))
            }
        }
    }
}
