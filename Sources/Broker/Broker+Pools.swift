import Foundation
import Store

extension Broker {
    /// Creates an empty pool of existing VMs on the libvirt connection `connectURI` and any `otherConnectURIs` (added
    /// with `addVMs`, each found on whichever host defines it).
    ///
    /// `desktopMode` may be `pooled` or `persistent`: existing VMs cannot be reset, so `volatile` needs a template.
    /// The pool is granted to `access` (everyone by default; none leaves it to admins until granted).
    @discardableResult
    public func createPool(
        name: String, connectURI: String, otherConnectURIs: [String] = [], desktopMode: DesktopMode = .pooled,
        policy: PoolPolicy = PoolPolicy(), access: [PoolGrant] = [.everyone], by actor: String = AuditLog.cliActor,
        now: Date = Date()
    ) async throws -> PoolRecord {
        try Names.validate(name, kind: "pool name")
        try checkHosts([connectURI] + otherConnectURIs)
        guard desktopMode != .volatile else {
            throw BrokerError.badRequest(
                "Volatile desktops are reset from a base image, so a volatile pool needs a template (--template, --base-image).")
        }
        let pool = PoolRecord(
            name: name, connectURI: connectURI, otherConnectURIs: otherConnectURIs, desktopMode: desktopMode, policy: policy,
            createdAt: now)
        try Self.check(policy, of: pool)
        try await BrokerError.mapping { try await store.addPool(pool) }
        await audit.record(
            .poolCreate, by: actor, subject: name,
            "\(desktopMode.rawValue) pool of existing VMs on \(pool.connectURIs.joined(separator: ", "))")
        for grant in access { try await self.grant(name, to: grant, by: actor) }
        return pool
    }

    /// Creates a template pool: the broker makes its VMs itself, as qcow2 overlays of `template.baseImage` defined
    /// from `template.domainXML`, up to `template.maxVMs`, when users ask for desktops, each on the host of
    /// `connectURI` and `otherConnectURIs` with the most free memory. The template is checked on every host.
    @discardableResult
    public func createTemplatePool(
        name: String, connectURI: String, otherConnectURIs: [String] = [], desktopMode: DesktopMode,
        template: PoolTemplate, policy: PoolPolicy = PoolPolicy(), access: [PoolGrant] = [.everyone],
        by actor: String = AuditLog.cliActor, now: Date = Date()
    ) async throws -> PoolRecord {
        try Names.validate(name, kind: "pool name")
        try checkHosts([connectURI] + otherConnectURIs)
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
            name: name, connectURI: connectURI, otherConnectURIs: otherConnectURIs, desktopMode: desktopMode,
            template: template, policy: policy, createdAt: now)
        try Self.check(policy, of: pool)
        for host in pool.connectURIs { try await hypervisor.checkTemplate(template, connectURI: host) }
        try await BrokerError.mapping { try await store.addPool(pool) }
        await audit.record(
            .poolCreate, by: actor, subject: name,
            "\(desktopMode.rawValue) template pool of up to \(template.maxVMs) VMs from \(template.baseImage) on \(pool.connectURIs.joined(separator: ", "))")
        for grant in access { try await self.grant(name, to: grant, by: actor) }
        return pool
    }

    /// Adds existing libvirt domains to a pool, first making each fit (SPICE ticketing locked); all or none are added.
    /// In a pool of several hosts each VM is found on whichever host defines it (the first in the pool's order when
    /// several do); one defined on no host that answers is refused, naming the hosts that did not.
    public func addVMs(
        _ names: [String], toPool poolName: String, by actor: String = AuditLog.cliActor, now: Date = Date()
    ) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard pool.template == nil else {
            throw BrokerError.badRequest("Pool \(poolName) makes its own VMs from its template; existing VMs cannot join it.")
        }
        guard !names.isEmpty else { throw BrokerError.badRequest("Name at least one VM to add.") }
        var hosts: [String: String] = [:]
        if !pool.otherConnectURIs.isEmpty {
            var known: [String: Result<DomainCensus, BrokerError>] = [:]
            let census = await census(of: pool, known: &known)
            for name in names {
                guard let host = census.hostOf[name] else {
                    let silent = census.unreachable.keys.sorted()
                    throw BrokerError(.vmNotFound, "No host of pool \(poolName) defines VM \(name)"
                            + (silent.isEmpty ? "." : "; these hosts did not answer: \(silent.joined(separator: ", ")).") )
                }
                if host != pool.connectURI { hosts[name] = host }
            }
        }
        for name in names {
            try await hypervisor.prepareForPool(VMRef(connectURI: hosts[name] ?? pool.connectURI, domain: name))
        }
        try await BrokerError.mapping { try await store.addVMs(names, toPool: poolName, hosts: hosts, now: now) }
        for name in names { await audit.record(.vmAdd, by: actor, subject: "\(poolName)/\(name)", now: now) }
    }

    /// The VMs of a pool with their state.
    public func vms(inPool poolName: String) async throws -> [VMRecord] {
        guard try await store.pool(named: poolName) != nil else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        return try await store.vms(inPool: poolName)
    }
}
