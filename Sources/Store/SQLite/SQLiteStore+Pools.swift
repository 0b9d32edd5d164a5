import Foundation
import GRDB

extension SQLiteStore {
    public func addPool(_ pool: PoolRecord) async throws {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM pools WHERE name = ?", arguments: [pool.name]) != nil {
                throw StoreError.poolExists(pool.name)
            }
            try Self.insertPool(db, pool)
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
                        (SELECT COUNT(*) FROM vms WHERE vms.pool_name = pools.name AND \(Self.isFreeVM)) AS free_count
                    FROM pools ORDER BY pools.name
                    """
            ).map { row in
                let pool = PoolRecord(row: row)
                let vmCount: Int = row["vm_count"]
                return PoolSummary(
                    pool: pool, vmCount: vmCount,
                    freeVMCount: row["free_count"] + ClaimRules.creatableVMs(pool, vmCount: vmCount))
            }
        }
    }

    public func setConnectURI(_ connectURI: String, others: [String], ofPool pool: String) async throws {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            try db.execute(
                sql: "UPDATE pools SET connect_uri = ?, other_connect_uris = ? WHERE name = ?",
                arguments: [connectURI, StringListColumn.column(others), pool])
        }
    }

    public func addVMs(_ names: [String], toPool pool: String, hosts: [String: String], now: Date) async throws {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            for name in names {
                if let holder = try String.fetchOne(db, sql: "SELECT pool_name FROM vms WHERE name = ?", arguments: [name]) {
                    throw StoreError.vmInPool(vm: name, pool: holder)
                }
                try db.execute(
                    sql: "INSERT INTO vms (name, pool_name, added_at, connect_uri) VALUES (?, ?, ?, ?)",
                    arguments: [name, pool, now, hosts[name]])
            }
        }
    }

    public func vms(inPool pool: String) async throws -> [VMRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM vms WHERE pool_name = ? ORDER BY name", arguments: [pool])
                .map(VMRecord.init(row:))
        }
    }

    public func updatePolicy(_ policy: PoolPolicy, ofPool pool: String) async throws {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            try Self.writePolicy(db, policy, pool: pool)
        }
    }

    public func pools() async throws -> [PoolRecord] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM pools ORDER BY name").map(PoolRecord.init(row:)) }
    }

    /// Writes a new pool's row, policy included.
    static func insertPool(_ db: Database, _ pool: PoolRecord) throws {
        try db.execute(
            sql: """
                INSERT INTO pools (name, connect_uri, other_connect_uris, desktop_mode, template_xml, base_image,
                    storage_pool, max_vms, gpu_mode, gpu_mdev_type, hide_hypervisor, hyperv_vendor_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                pool.name, pool.connectURI, StringListColumn.column(pool.otherConnectURIs), pool.desktopMode.rawValue,
                pool.template?.domainXML,
                pool.template?.baseImage, pool.template?.storagePool, pool.template?.maxVMs,
                pool.template?.gpu?.modeColumn, pool.template?.gpu?.mediatedTypeColumn,
                pool.template?.hideHypervisor ?? false, pool.template?.hypervVendorID, pool.createdAt,
            ])
        try writePolicy(db, pool.policy, pool: pool.name)
    }

    static func writePolicy(_ db: Database, _ policy: PoolPolicy, pool: String) throws {
        try db.execute(
            sql: """
                UPDATE pools SET spares = ?, boot_limit = ?, spare_linger_seconds = ?, attach_window_seconds = ?,
                disconnect_grace_seconds = ?, idle_shutdown_seconds = ?, ticket_validity_seconds = ?,
                max_sessions_per_user = ?, console_route = ? WHERE name = ?
                """,
            arguments: [
                policy.spares, policy.bootLimit, policy.spareLingerSeconds, policy.attachWindowSeconds,
                policy.disconnectGraceSeconds, policy.idleShutdownSeconds, policy.ticketValiditySeconds,
                policy.maxSessionsPerUser, policy.consoleRoute.rawValue, pool,
            ])
    }

    static func fetchPool(_ db: Database, named name: String) throws -> PoolRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM pools WHERE name = ?", arguments: [name]).map(PoolRecord.init(row:))
    }
}

extension PoolRecord {
    init(row: Row) {
        let template: PoolTemplate? =
            if let xml: String = row["template_xml"], let base: String = row["base_image"],
                let storagePool: String = row["storage_pool"], let maxVMs: Int = row["max_vms"]
            {
                PoolTemplate(
                    domainXML: xml, baseImage: base, storagePool: storagePool, maxVMs: maxVMs, gpu: TemplateGPU(column: row["gpu_mode"], mediatedType: row["gpu_mdev_type"]),
                    hideHypervisor: row["hide_hypervisor"], hypervVendorID: row["hyperv_vendor_id"])
            } else {
                nil
            }
        let policy = PoolPolicy(
            spares: row["spares"], bootLimit: row["boot_limit"], spareLingerSeconds: row["spare_linger_seconds"],
            attachWindowSeconds: row["attach_window_seconds"], disconnectGraceSeconds: row["disconnect_grace_seconds"],
            idleShutdownSeconds: row["idle_shutdown_seconds"], ticketValiditySeconds: row["ticket_validity_seconds"],
            maxSessionsPerUser: row["max_sessions_per_user"],
            consoleRoute: ConsoleRoute(rawValue: row["console_route"]))
        self.init(
            name: row["name"], connectURI: row["connect_uri"],
            otherConnectURIs: StringListColumn.strings(inColumn: row["other_connect_uris"]),
            desktopMode: DesktopMode(rawValue: row["desktop_mode"]) ?? .pooled, template: template, policy: policy,
            createdAt: row["created_at"])
    }
}

extension VMRecord {
    init(row: Row) {
        self.init(
            name: row["name"], pool: row["pool_name"], assignedUser: row["assigned_user"],
            isProvisioned: row["provisioned"], needsReset: row["needs_reset"], brokenReason: row["broken_reason"],
            addedAt: row["added_at"], connectURI: row["connect_uri"])
    }
}
