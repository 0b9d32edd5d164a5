import Foundation
import GRDB

extension SQLiteStore {
    public func holdVMs(_ names: Set<String>, inPool pool: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            let held = try Self.heldVMs(db, pool: pool, now: now, exceptBy: holder)
            let inUse = Set(try String.fetchAll(db, sql: "SELECT vm_name FROM sessions WHERE pool_name = ?", arguments: [pool]))
            guard held.isDisjoint(with: names), inUse.isDisjoint(with: names) else { return false }
            for name in names {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO vm_holds (pool_name, vm_name, holder, expires_at) VALUES (?, ?, ?, ?)",
                    arguments: [pool, name, holder, until])
            }
            return true
        }
    }

    public func releaseVMs(_ names: Set<String>, inPool pool: String, holder: String) async throws {
        try await write { db in
            for name in names {
                try db.execute(
                    sql: "DELETE FROM vm_holds WHERE pool_name = ? AND vm_name = ? AND holder = ?", arguments: [pool, name, holder])
            }
        }
    }

    /// The pool's VMs held now, by anyone but `holder` when given.
    static func heldVMs(_ db: Database, pool: String, now: Date, exceptBy holder: String? = nil) throws -> Set<String> {
        Set(try String.fetchAll(
            db, sql: "SELECT vm_name FROM vm_holds WHERE pool_name = ? AND expires_at > ? AND holder IS NOT ?",
            arguments: [pool, now, holder]))
    }
}
