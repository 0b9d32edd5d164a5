import Foundation
import Store

extension Broker {
    /// Creates an empty pool of existing VMs on the libvirt connection `connectURI` (added with `addVMs`).
    ///
    /// `desktopMode` may be `pooled` or `persistent`: existing VMs cannot be reset, so `volatile` needs a template.
    /// The pool is granted to `access` (everyone by default; none leaves it to admins until granted).
    @discardableResult
    public func createPool(
        name: String, connectURI: String, desktopMode: DesktopMode = .pooled, policy: PoolPolicy = PoolPolicy(),
        access: [PoolGrant] = [.everyone], by actor: String = AuditLog.cliActor, now: Date = Date()
    ) async throws -> PoolRecord {
        try Names.validate(name, kind: "pool name")
        guard !connectURI.isEmpty else { throw BrokerError.badRequest("A pool needs a libvirt connection URI (--connect).") }
        try settings.connectURIs.check(connectURI)
        guard desktopMode != .volatile else {
            throw BrokerError.badRequest(
                "Volatile desktops are reset from a base image, so a volatile pool needs a template (--template, --base-image).")
        }
        let pool = PoolRecord(name: name, connectURI: connectURI, desktopMode: desktopMode, policy: policy, createdAt: now)
        try Self.check(policy, of: pool)
        try await BrokerError.mapping { try await store.addPool(pool) }
        await audit.record(.poolCreate, by: actor, subject: name, "\(desktopMode.rawValue) pool of existing VMs on \(connectURI)")
        for grant in access { try await self.grant(name, to: grant, by: actor) }
        return pool
    }

    /// Creates a template pool: the broker makes its VMs itself, as qcow2 overlays of `template.baseImage` defined
    /// from `template.domainXML`, up to `template.maxVMs`, when users ask for desktops.
    @discardableResult
    public func createTemplatePool(
        name: String, connectURI: String, desktopMode: DesktopMode, template: PoolTemplate,
        policy: PoolPolicy = PoolPolicy(), access: [PoolGrant] = [.everyone], by actor: String = AuditLog.cliActor,
        now: Date = Date()
    ) async throws -> PoolRecord {
        try Names.validate(name, kind: "pool name")
        guard !connectURI.isEmpty else { throw BrokerError.badRequest("A pool needs a libvirt connection URI (--connect).") }
        try settings.connectURIs.check(connectURI)
        guard desktopMode != .pooled else {
            throw BrokerError.badRequest("A template pool's desktops are volatile or persistent, not pooled.")
        }
        guard (1...999).contains(template.maxVMs) else {
            throw BrokerError.badRequest("A template pool may create 1 to 999 VMs (--max-vms).")
        }
        if let vendorID = template.hypervVendorID {
            guard template.hideHypervisor else {
                throw BrokerError.badRequest("A Hyper-V vendor id goes with hiding the hypervisor (--hide-hypervisor).")
            }
            guard (1...12).contains(vendorID.count), !vendorID.contains(",") else {
                throw BrokerError.badRequest("A Hyper-V vendor id takes 1 to 12 characters without a comma.")
            }
        }
        let pool = PoolRecord(
            name: name, connectURI: connectURI, desktopMode: desktopMode, template: template, policy: policy, createdAt: now)
        try Self.check(policy, of: pool)
        try await hypervisor.checkTemplate(template, connectURI: connectURI)
        try await BrokerError.mapping { try await store.addPool(pool) }
        await audit.record(
            .poolCreate, by: actor, subject: name,
            "\(desktopMode.rawValue) template pool of up to \(template.maxVMs) VMs from \(template.baseImage) on \(connectURI)")
        for grant in access { try await self.grant(name, to: grant, by: actor) }
        return pool
    }

    /// Adds existing libvirt domains to a pool, first making each fit (SPICE ticketing locked); all or none are added.
    public func addVMs(
        _ names: [String], toPool poolName: String, by actor: String = AuditLog.cliActor, now: Date = Date()
    ) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard pool.template == nil else {
            throw BrokerError.badRequest("Pool \(poolName) makes its own VMs from its template; existing VMs cannot join it.")
        }
        guard !names.isEmpty else { throw BrokerError.badRequest("Name at least one VM to add.") }
        for name in names {
            try await hypervisor.prepareForPool(VMRef(connectURI: pool.connectURI, domain: name))
        }
        try await BrokerError.mapping { try await store.addVMs(names, toPool: poolName, now: now) }
        for name in names { await audit.record(.vmAdd, by: actor, subject: "\(poolName)/\(name)", now: now) }
    }

    /// The VMs of a pool with their state.
    public func vms(inPool poolName: String) async throws -> [VMRecord] {
        guard try await store.pool(named: poolName) != nil else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        return try await store.vms(inPool: poolName)
    }
}
