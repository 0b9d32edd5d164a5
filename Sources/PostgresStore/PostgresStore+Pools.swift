import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    /// SQL condition on `vms` rows: a VM a new user may get (nobody holds it, nobody owns it, not waiting for a
    /// reset, not broken). The same rule as the SQLite backend's.
    static let isFreeVM = """
        NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.pool_name = vms.pool_name AND sessions.vm_name = vms.name)
        AND vms.assigned_user IS NULL AND NOT vms.needs_reset AND vms.broken_reason IS NULL
        """

    public func addPool(_ pool: PoolRecord) async throws {
        try await transaction { db, logger in
            guard try await Self.insertPool(db, logger, pool, ifAbsent: true) else { throw StoreError.poolExists(pool.name) }
        }
    }

    public func pool(named name: String) async throws -> PoolRecord? {
        try await read { db, logger in try await Self.fetchPool(db, logger, named: name) }
    }

    public func poolSummaries() async throws -> [PoolSummary] {
        try await read { db, logger in
            try await db.rows(
                """
                SELECT pools.*,
                    (SELECT COUNT(*) FROM vms WHERE vms.pool_name = pools.name) AS vm_count,
                    (SELECT COUNT(*) FROM vms WHERE vms.pool_name = pools.name AND \(unescaped: Self.isFreeVM)) AS free_count
                FROM pools ORDER BY pools.name
                """, logger: logger
            ).map { row in
                let pool = try PoolRecord(row)
                let vmCount = try row.get("vm_count", as: Int.self)
                let free = try row.get("free_count", as: Int.self)
                return PoolSummary(
                    pool: pool, vmCount: vmCount, freeVMCount: free + ClaimRules.creatableVMs(pool, vmCount: vmCount))
            }
        }
    }

    public func pools() async throws -> [PoolRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM pools ORDER BY name", logger: logger).map(PoolRecord.init)
        }
    }

    public func updatePolicy(_ policy: PoolPolicy, ofPool pool: String) async throws {
        try await transaction { db, logger in
            guard try await Self.writePolicy(db, logger, policy, pool: pool) else { throw StoreError.poolNotFound(pool) }
        }
    }

    public func setConnectURI(_ connectURI: String, others: [String], ofPool pool: String) async throws {
        try await statement { db, logger in
            let updated = try await db.count(
                """
                UPDATE pools SET connect_uri = \(connectURI), other_connect_uris = \(StringListColumn.column(others))
                WHERE name = \(pool) RETURNING 1
                """, logger: logger)
            guard updated == 1 else { throw StoreError.poolNotFound(pool) }
        }
    }

    public func addVMs(_ names: [String], toPool pool: String, hosts: [String: String], now: Date) async throws {
        try await transaction { db, logger in
            guard try await Self.lockPool(db, logger, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            for name in names {
                if let holder = try await db.values(String.self, "SELECT pool_name FROM vms WHERE name = \(name)", logger: logger)
                    .first
                {
                    throw StoreError.vmInPool(vm: name, pool: holder)
                }
                try await db.run(
                    "INSERT INTO vms (name, pool_name, added_at, connect_uri) VALUES (\(name), \(pool), \(now), \(hosts[name]))",
                    logger: logger)
            }
        }
    }

    public func vms(inPool pool: String) async throws -> [VMRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM vms WHERE pool_name = \(pool) ORDER BY name", logger: logger).map(VMRecord.init)
        }
    }

    public func deletePool(named name: String) async throws -> [VMRecord] {
        try await transaction { db, logger in
            guard try await Self.lockPool(db, logger, named: name) != nil else { throw StoreError.poolNotFound(name) }
            let sessions = try await db.values(Int.self, "SELECT COUNT(*) FROM sessions WHERE pool_name = \(name)", logger: logger)
            if let count = sessions.first, count > 0 { throw StoreError.poolInUse(name, sessions: count) }
            let vms = try await db.rows("SELECT * FROM vms WHERE pool_name = \(name) ORDER BY name", logger: logger)
                .map(VMRecord.init)
            try await db.run("DELETE FROM pools WHERE name = \(name)", logger: logger)  // its VMs go with it (cascade)
            return vms
        }
    }

    /// Writes a new pool's row, policy included; with `ifAbsent`, writes nothing for a taken name and returns false.
    @discardableResult
    static func insertPool(_ db: PostgresConnection, _ logger: Logger, _ pool: PoolRecord, ifAbsent: Bool = false) async throws -> Bool {
        let template = pool.template
        let added = try await db.count(
            """
            INSERT INTO pools (name, connect_uri, other_connect_uris, desktop_mode, template_xml, base_image,
                storage_pool, max_vms, gpu_mode, gpu_mdev_type, hide_hypervisor, hyperv_vendor_id, created_at)
            VALUES (\(pool.name), \(pool.connectURI), \(StringListColumn.column(pool.otherConnectURIs)),
                \(pool.desktopMode.rawValue), \(template?.domainXML),
                \(template?.baseImage), \(template?.storagePool), \(template?.maxVMs), \(template?.gpu?.modeColumn),
                \(template?.gpu?.mediatedTypeColumn), \(template?.hideHypervisor ?? false), \(template?.hypervVendorID),
                \(pool.createdAt))
            \(unescaped: ifAbsent ? "ON CONFLICT DO NOTHING" : "") RETURNING 1
            """, logger: logger)
        guard added == 1 else { return false }
        try await writePolicy(db, logger, pool.policy, pool: pool.name)
        return true
    }

    /// Writes a pool's policy; false when there is no such pool.
    @discardableResult
    static func writePolicy(_ db: PostgresConnection, _ logger: Logger, _ policy: PoolPolicy, pool: String) async throws -> Bool {
        try await db.count(
            """
            UPDATE pools SET spares = \(policy.spares), boot_limit = \(policy.bootLimit),
                spare_linger_seconds = \(policy.spareLingerSeconds), attach_window_seconds = \(policy.attachWindowSeconds),
                disconnect_grace_seconds = \(policy.disconnectGraceSeconds),
                idle_shutdown_seconds = \(policy.idleShutdownSeconds),
                ticket_validity_seconds = \(policy.ticketValiditySeconds),
                max_sessions_per_user = \(policy.maxSessionsPerUser), console_route = \(policy.consoleRoute.rawValue)
            WHERE name = \(pool) RETURNING 1
            """, logger: logger) == 1
    }

    static func fetchPool(_ db: PostgresConnection, _ logger: Logger, named name: String) async throws -> PoolRecord? {
        try await db.row("SELECT * FROM pools WHERE name = \(name)", logger: logger).map(PoolRecord.init)
    }

    /// Reads a pool and locks its row until the transaction ends: claims and changes of one pool take turns.
    static func lockPool(_ db: PostgresConnection, _ logger: Logger, named name: String) async throws -> PoolRecord? {
        try await db.row("SELECT * FROM pools WHERE name = \(name) FOR UPDATE", logger: logger).map(PoolRecord.init)
    }
}
