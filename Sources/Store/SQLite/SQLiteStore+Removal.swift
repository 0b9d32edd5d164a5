import Foundation
import GRDB

extension SQLiteStore {
    public func deletePool(named name: String) async throws -> [VMRecord] {
        try await write { db in
            guard try Self.fetchPool(db, named: name) != nil else { throw StoreError.poolNotFound(name) }
            let sessions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE pool_name = ?", arguments: [name]) ?? 0
            guard sessions == 0 else { throw StoreError.poolInUse(name, sessions: sessions) }
            let vms = try Row.fetchAll(db, sql: "SELECT * FROM vms WHERE pool_name = ? ORDER BY name", arguments: [name])
                .map(VMRecord.init(row:))
            try db.execute(sql: "DELETE FROM pools WHERE name = ?", arguments: [name])  // its VMs go with it (cascade)
            return vms
        }
    }
}
