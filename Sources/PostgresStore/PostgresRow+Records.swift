import Foundation
import PostgresNIO
import Store

/// Records read from PostgreSQL rows, column for column as the schema names them.
extension UserRecord {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            name: try row.get("name"), passwordHash: try row.get("password_hash"), isAdmin: try row.get("is_admin"),
            isAuditor: try row.get("is_auditor"), createdAt: try row.get("created_at"))
    }
}

extension PoolRecord {
    init(_ row: PostgresRandomAccessRow) throws {
        let template: PoolTemplate? =
            if let xml = try row.get("template_xml", as: String?.self), let base = try row.get("base_image", as: String?.self),
                let storagePool = try row.get("storage_pool", as: String?.self), let maxVMs = try row.get("max_vms", as: Int?.self)
            {
                PoolTemplate(
                    domainXML: xml, baseImage: base, storagePool: storagePool, maxVMs: maxVMs,
                    gpu: TemplateGPU(column: try row.get("gpu_mode"), mediatedType: try row.get("gpu_mdev_type")),
                    hideHypervisor: try row.get("hide_hypervisor"), hypervVendorID: try row.get("hyperv_vendor_id"))
            } else {
                nil
            }
        let policy = PoolPolicy(
            spares: try row.get("spares"), bootLimit: try row.get("boot_limit"),
            spareLingerSeconds: try row.get("spare_linger_seconds"),
            attachWindowSeconds: try row.get("attach_window_seconds"),
            disconnectGraceSeconds: try row.get("disconnect_grace_seconds"),
            idleShutdownSeconds: try row.get("idle_shutdown_seconds"),
            ticketValiditySeconds: try row.get("ticket_validity_seconds"),
            maxSessionsPerUser: try row.get("max_sessions_per_user"),
            consoleRoute: ConsoleRoute(rawValue: try row.get("console_route")))
        self.init(
            name: try row.get("name"), connectURI: try row.get("connect_uri"),
            otherConnectURIs: StringListColumn.strings(inColumn: try row.get("other_connect_uris")),
            desktopMode: DesktopMode(rawValue: try row.get("desktop_mode")) ?? .pooled, template: template,
            policy: policy, createdAt: try row.get("created_at"))
    }
}

extension VMRecord {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            name: try row.get("name"), pool: try row.get("pool_name"), assignedUser: try row.get("assigned_user"),
            isProvisioned: try row.get("provisioned"), needsReset: try row.get("needs_reset"),
            brokenReason: try row.get("broken_reason"), addedAt: try row.get("added_at"),
            connectURI: try row.get("connect_uri"))
    }
}

extension SessionRecord {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), user: try row.get("user_name"), pool: try row.get("pool_name"), vm: try row.get("vm_name"),
            publicPort: try row.get("public_port"), clientAddress: try row.get("client_address"),
            state: SessionState(rawValue: try row.get("state")) ?? .starting,
            targetAddress: try row.get("target_address"), targetPort: try row.get("target_port"),
            targetTLSPort: try row.get("target_tls_port"),
            route: ConsoleRoute(rawValue: try row.get("route")), createdAt: try row.get("created_at"),
            publicAddress: try row.get("public_address"))
    }
}

extension AuditEvent {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.get("id"), at: try row.get("at"), actor: try row.get("actor"),
            action: AuditAction(rawValue: try row.get("action")), subject: try row.get("subject"),
            clientAddress: try row.get("client_address"), succeeded: try row.get("succeeded"), detail: try row.get("detail"))
    }
}
