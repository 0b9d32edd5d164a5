import Foundation
import GRDB

extension SQLiteStore {
    /// SQL condition on `vms` rows: a VM a new user may get (nobody holds it, nobody owns it, not waiting for a
    /// reset, not broken).
    static let isFreeVM = """
        vms.name NOT IN (SELECT vm_name FROM sessions WHERE sessions.pool_name = vms.pool_name)
        AND vms.assigned_user IS NULL AND vms.needs_reset = 0 AND vms.broken_reason IS NULL
        """

    /// The VM a claim gets: the user's own in a persistent pool, else a free one (created ones first), else a new
    /// name within a template pool's maximum (not provisioned yet: the broker creates it). VMs another broker's
    /// upkeep holds count as busy.
    static func chooseVM(_ db: Database, pool: PoolRecord, claim: DesktopClaim) throws -> String {
        var claim = claim
        claim.busyVMs.formUnion(try heldVMs(db, pool: pool.name, now: claim.now, exceptBy: claim.holder))
        if pool.desktopMode == .persistent,
            let own = try Row.fetchOne(
                db, sql: "SELECT * FROM vms WHERE pool_name = ? AND assigned_user = ?", arguments: [pool.name, claim.user]
            ).map(VMRecord.init(row:))
        {
            return try ClaimRules.ownVM(own, pool: pool.name, claim: claim)
        }
        let unavailable = claim.excludedVMs.union(claim.busyVMs)
        guard let vm = try freeOrNewVM(db, pool: pool, excluding: unavailable, preferring: claim.preferredVMs, now: claim.now)
        else { throw StoreError.noFreeVM(pool: pool.name) }
        return vm
    }

    /// A free VM of the pool not in `excluding` (`preferring` first, then created ones, then by name), else a new
    /// unprovisioned one within a template pool's maximum (the broker creates it); nil when there is neither.
    static func freeOrNewVM(
        _ db: Database, pool: PoolRecord, excluding: Set<String>, preferring: [String] = [], now: Date
    ) throws -> String? {
        let free = try String.fetchAll(
            db, sql: "SELECT name FROM vms WHERE pool_name = ? AND \(isFreeVM) ORDER BY provisioned DESC, name",
            arguments: [pool.name])
        if let vm = ClaimRules.freeVM(free, excluding: excluding, preferring: preferring) { return vm }
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vms WHERE pool_name = ?", arguments: [pool.name]) ?? 0
        guard ClaimRules.mayCreateVM(pool, vmCount: count) else { return nil }
        let taken = Set(try String.fetchAll(db, sql: "SELECT name FROM vms"))
        let name = ClaimRules.newVMName(pool: pool.name, taken: taken, excluding: excluding)
        try db.execute(
            sql: "INSERT INTO vms (name, pool_name, added_at, provisioned) VALUES (?, ?, ?, 0)",
            arguments: [name, pool.name, now])
        return name
    }

    public func vm(named name: String, inPool pool: String) async throws -> VMRecord? {
        try await read { db in try Self.fetchVM(db, name, pool: pool) }
    }

    public func spareCandidate(inPool pool: String, excluding: Set<String>, now: Date) async throws -> String? {
        try await write { db in
            guard let record = try Self.fetchPool(db, named: pool) else { throw StoreError.poolNotFound(pool) }
            let held = try Self.heldVMs(db, pool: pool, now: now)
            return try Self.freeOrNewVM(db, pool: record, excluding: excluding.union(held), now: now)
        }
    }

    public func markProvisioned(vm: String, pool: String, _ provisioned: Bool) async throws {
        try await updateVM(vm, pool: pool, set: "provisioned = ?", [provisioned])
    }

    public func setConnectURI(_ connectURI: String?, ofVM vm: String, inPool pool: String) async throws {
        try await updateVM(vm, pool: pool, set: "connect_uri = ?", [connectURI])
    }

    public func finishReset(vm: String, pool: String) async throws {
        try await updateVM(vm, pool: pool, set: "needs_reset = 0, provisioned = 0", [])
    }

    public func markBroken(vm: String, pool: String, reason: String?) async throws {
        try await updateVM(vm, pool: pool, set: "broken_reason = ?", [reason])
    }

    public func unassign(vm: String, pool: String) async throws -> VMRecord {
        try await write { db in
            guard let pool = try Self.fetchPool(db, named: pool) else { throw StoreError.poolNotFound(pool) }
            guard try Self.fetchVM(db, vm, pool: pool.name) != nil else { throw StoreError.vmNotFound(vm) }
            if try Self.fetchSession(db, where: "pool_name = ? AND vm_name = ?", arguments: [pool.name, vm]) != nil {
                throw StoreError.vmInUse(vm)
            }
            try db.execute(
                sql: "UPDATE vms SET assigned_user = NULL, needs_reset = ? WHERE pool_name = ? AND name = ?",
                arguments: [pool.template != nil, pool.name, vm])
            return try Self.fetchVM(db, vm, pool: pool.name)!
        }
    }

    public func removeVM(_ vm: String, fromPool pool: String) async throws {
        try await write { db in
            if try Self.fetchSession(db, where: "pool_name = ? AND vm_name = ?", arguments: [pool, vm]) != nil {
                throw StoreError.vmInUse(vm)
            }
            try db.execute(sql: "DELETE FROM vms WHERE pool_name = ? AND name = ?", arguments: [pool, vm])
            guard db.changesCount == 1 else { throw StoreError.vmNotFound(vm) }
        }
    }

    public func vmsNeedingReset() async throws -> [VMRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vms WHERE needs_reset = 1 ORDER BY pool_name, name")
                .map(VMRecord.init(row:))
        }
    }

    private func updateVM(_ vm: String, pool: String, set assignments: String, _ values: [(any DatabaseValueConvertible)?])
        async throws
    {
        let arguments = StatementArguments(values + [pool, vm])
        try await write { db in
            try db.execute(sql: "UPDATE vms SET \(assignments) WHERE pool_name = ? AND name = ?", arguments: arguments)
            guard db.changesCount == 1 else { throw StoreError.vmNotFound(vm) }
        }
    }

    static func fetchVM(_ db: Database, _ name: String, pool: String) throws -> VMRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM vms WHERE pool_name = ? AND name = ?", arguments: [pool, name])
            .map(VMRecord.init(row:))
    }
}
