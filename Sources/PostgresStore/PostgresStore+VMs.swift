import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    /// The VM a claim gets: the user's own in a persistent pool, else a free one (created ones first), else a new
    /// name within a template pool's maximum. The pool's row is locked by the caller.
    static func chooseVM(_ db: PostgresConnection, _ logger: Logger, pool: PoolRecord, claim: DesktopClaim) async throws -> String {
        var claim = claim
        claim.busyVMs.formUnion(try await heldVMs(db, logger, pool: pool.name, now: claim.now, exceptBy: claim.holder))
        if pool.desktopMode == .persistent,
            let own = try await db.row(
                "SELECT * FROM vms WHERE pool_name = \(pool.name) AND assigned_user = \(claim.user)", logger: logger
            ).map(VMRecord.init)
        {
            return try ClaimRules.ownVM(own, pool: pool.name, claim: claim)
        }
        guard
            let vm = try await freeOrNewVM(
                db, logger, pool: pool, excluding: claim.excludedVMs.union(claim.busyVMs), preferring: claim.preferredVMs,
                now: claim.now)
        else { throw StoreError.noFreeVM(pool: pool.name) }
        return vm
    }

    /// A free VM of the pool not in `excluding`, else a new unprovisioned one within a template pool's maximum (the
    /// broker creates it); nil when there is neither. The pool's row is locked by the caller.
    static func freeOrNewVM(
        _ db: PostgresConnection, _ logger: Logger, pool: PoolRecord, excluding: Set<String>, preferring: [String] = [],
        now: Date
    ) async throws -> String? {
        let free = try await db.values(
            String.self,
            "SELECT name FROM vms WHERE pool_name = \(pool.name) AND \(unescaped: isFreeVM) ORDER BY provisioned DESC, name",
            logger: logger)
        if let vm = ClaimRules.freeVM(free, excluding: excluding, preferring: preferring) { return vm }
        let count = try await db.values(Int.self, "SELECT COUNT(*) FROM vms WHERE pool_name = \(pool.name)", logger: logger)
        guard ClaimRules.mayCreateVM(pool, vmCount: count.first ?? 0) else { return nil }
        let taken = Set(try await db.values(String.self, "SELECT name FROM vms", logger: logger))
        let name = ClaimRules.newVMName(pool: pool.name, taken: taken, excluding: excluding)
        try await db.run(
            "INSERT INTO vms (name, pool_name, added_at, provisioned) VALUES (\(name), \(pool.name), \(now), false)",
            logger: logger)
        return name
    }

    public func vm(named name: String, inPool pool: String) async throws -> VMRecord? {
        try await read { db, logger in try await Self.fetchVM(db, logger, name, pool: pool) }
    }

    public func spareCandidate(inPool pool: String, excluding: Set<String>, now: Date) async throws -> String? {
        try await transaction(retryingConflicts: true) { db, logger in
            guard let record = try await Self.lockPool(db, logger, named: pool) else { throw StoreError.poolNotFound(pool) }
            let held = try await Self.heldVMs(db, logger, pool: pool, now: now)
            return try await Self.freeOrNewVM(db, logger, pool: record, excluding: excluding.union(held), now: now)
        }
    }

    public func setConnectURI(_ connectURI: String?, ofVM vm: String, inPool pool: String) async throws {
        try await updateVM(vm, pool: pool) { db, logger in
            try await db.count(
                "UPDATE vms SET connect_uri = \(connectURI) WHERE pool_name = \(pool) AND name = \(vm) RETURNING 1",
                logger: logger)
        }
    }

    public func markProvisioned(vm: String, pool: String, _ provisioned: Bool) async throws {
        try await updateVM(vm, pool: pool) { db, logger in
            try await db.count(
                "UPDATE vms SET provisioned = \(provisioned) WHERE pool_name = \(pool) AND name = \(vm) RETURNING 1",
                logger: logger)
        }
    }

    public func finishReset(vm: String, pool: String) async throws {
        try await updateVM(vm, pool: pool) { db, logger in
            try await db.count(
                "UPDATE vms SET needs_reset = false, provisioned = false WHERE pool_name = \(pool) AND name = \(vm) RETURNING 1",
                logger: logger)
        }
    }

    public func markBroken(vm: String, pool: String, reason: String?) async throws {
        try await updateVM(vm, pool: pool) { db, logger in
            try await db.count(
                "UPDATE vms SET broken_reason = \(reason) WHERE pool_name = \(pool) AND name = \(vm) RETURNING 1",
                logger: logger)
        }
    }

    public func unassign(vm: String, pool: String) async throws -> VMRecord {
        try await transaction { db, logger in
            guard let record = try await Self.lockPool(db, logger, named: pool) else { throw StoreError.poolNotFound(pool) }
            guard try await Self.fetchVM(db, logger, vm, pool: pool) != nil else { throw StoreError.vmNotFound(vm) }
            if try await Self.vmHasSession(db, logger, vm, pool: pool) { throw StoreError.vmInUse(vm) }
            try await db.run(
                """
                UPDATE vms SET assigned_user = NULL, needs_reset = \(record.template != nil)
                WHERE pool_name = \(pool) AND name = \(vm)
                """, logger: logger)
            return try await Self.fetchVM(db, logger, vm, pool: pool)!
        }
    }

    public func removeVM(_ vm: String, fromPool pool: String) async throws {
        try await transaction { db, logger in
            _ = try await Self.lockPool(db, logger, named: pool)
            if try await Self.vmHasSession(db, logger, vm, pool: pool) { throw StoreError.vmInUse(vm) }
            let removed = try await db.count(
                "DELETE FROM vms WHERE pool_name = \(pool) AND name = \(vm) RETURNING 1", logger: logger)
            guard removed == 1 else { throw StoreError.vmNotFound(vm) }
        }
    }

    public func vmsNeedingReset() async throws -> [VMRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM vms WHERE needs_reset ORDER BY pool_name, name", logger: logger).map(VMRecord.init)
        }
    }

    /// Runs one `UPDATE ... RETURNING 1` of a VM; throws `vmNotFound` when it touched no row.
    private func updateVM(
        _ vm: String, pool: String, _ update: @Sendable (PostgresConnection, Logger) async throws -> Int
    ) async throws {
        try await statement { db, logger in
            guard try await update(db, logger) == 1 else { throw StoreError.vmNotFound(vm) }
        }
    }

    static func fetchVM(_ db: PostgresConnection, _ logger: Logger, _ name: String, pool: String) async throws -> VMRecord? {
        try await db.row("SELECT * FROM vms WHERE pool_name = \(pool) AND name = \(name)", logger: logger).map(VMRecord.init)
    }

    static func vmHasSession(_ db: PostgresConnection, _ logger: Logger, _ vm: String, pool: String) async throws -> Bool {
        try await db.row("SELECT 1 FROM sessions WHERE pool_name = \(pool) AND vm_name = \(vm)", logger: logger) != nil
    }
}
