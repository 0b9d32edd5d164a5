import Foundation
import Logging
import Store

extension Broker {
    /// Takes VMs out of a pool. A template pool's VMs are thrown away (domain and overlay); existing VMs are left in
    /// libvirt as they are. Fails with `vm_in_use` for a VM with a session, and changes nothing then.
    public func removeVMs(_ names: [String], fromPool poolName: String, by actor: String = AuditLog.cliActor) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard !names.isEmpty else { throw BrokerError.badRequest("Name at least one VM to remove.") }
        let records = Dictionary(try await store.vms(inPool: poolName).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let held = Set(try await store.sessions().filter { $0.pool == poolName }.map(\.vm))
        for name in names {
            guard records[name] != nil else {
                throw BrokerError.vmNotInPool(name, pool: poolName)
            }
            guard !held.contains(name) else { throw BrokerError(StoreError.vmInUse(name)) }
        }
        for name in names {
            try await BrokerError.mapping { try await store.removeVM(name, fromPool: poolName) }
            if let template = pool.template, let record = records[name] {
                try await hypervisor.discard(Self.ref(record, of: pool), from: template)
            }
            logger.info("removed \(name) from pool \(poolName)\(pool.template == nil ? "" : " and threw it away")")
            await audit.record(
                .vmRemove, by: actor, subject: "\(poolName)/\(name)",
                pool.template == nil ? "left in libvirt" : "thrown away")
        }
    }

    /// Deletes a pool. Its sessions must have ended. A template pool's VMs are thrown away; persistent desktops
    /// still owned by users are refused unless `discardingOwned` (their users' data would go with them). Pools of
    /// existing VMs leave those VMs in libvirt.
    public func deletePool(
        named poolName: String, discardingOwned: Bool = false, by actor: String = AuditLog.cliActor
    ) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        let owned = try await store.vms(inPool: poolName).filter { $0.assignedUser != nil }
        if pool.template != nil, !owned.isEmpty, !discardingOwned {
            throw BrokerError(.poolHasOwnedDesktops, """
                    Pool \(poolName) has \(owned.count) persistent desktop(s) owned by users \
                    (\(owned.compactMap(\.assignedUser).joined(separator: ", "))); deleting it throws their data away. \
                    Unassign them first, or delete with --discard-owned.
                    """)
        }
        let vms = try await BrokerError.mapping { try await store.deletePool(named: poolName) }
        if let template = pool.template {
            for vm in vms {
                do {
                    try await hypervisor.discard(Self.ref(vm, of: pool), from: template)
                } catch {
                    logger.error("pool \(poolName) is deleted but \(vm.name) could not be thrown away: \(error)")
                }
            }
        }
        let fate = "\(vms.count) VM(s)\(pool.template == nil ? " left in libvirt" : " thrown away")"
        logger.info("deleted pool \(poolName) (\(fate))")
        await audit.record(.poolRemove, by: actor, subject: poolName, fate)
    }
}
