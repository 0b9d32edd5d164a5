import Foundation
import Logging
import PostgresNIO
import Store

extension PostgresStore {
    public func holdVMs(_ names: Set<String>, inPool pool: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await transaction { db, logger in
            // The pool's row lock orders this hold with the pool's claims: a claim after it sees the hold, one before
            // it has its session in place for the check below.
            guard try await Self.lockPool(db, logger, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            let held = try await Self.heldVMs(db, logger, pool: pool, now: now, exceptBy: holder)
            let inUse = Set(try await db.values(String.self, "SELECT vm_name FROM sessions WHERE pool_name = \(pool)", logger: logger))
            guard held.isDisjoint(with: names), inUse.isDisjoint(with: names) else { return false }
            for name in names {
                try await db.run(
                    """
                    INSERT INTO vm_holds (pool_name, vm_name, holder, expires_at) VALUES (\(pool), \(name), \(holder), \(until))
                    ON CONFLICT (pool_name, vm_name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    """, logger: logger)
            }
            return true
        }
    }

    public func releaseVMs(_ names: Set<String>, inPool pool: String, holder: String) async throws {
        try await statement { db, logger in
            try await db.run(
                "DELETE FROM vm_holds WHERE pool_name = \(pool) AND vm_name = ANY(\(Array(names))) AND holder = \(holder)",
                logger: logger)
        }
    }

    /// The pool's VMs held now, by anyone but `holder` when given.
    static func heldVMs(
        _ db: PostgresConnection, _ logger: Logger, pool: String, now: Date, exceptBy holder: String? = nil
    ) async throws -> Set<String> {
        Set(try await db.values(
            String.self,
            """
            SELECT vm_name FROM vm_holds
            WHERE pool_name = \(pool) AND expires_at > \(now) AND holder IS DISTINCT FROM \(holder)
            """, logger: logger))
    }
}
