import Foundation
import Logging
import Store

extension Broker {
    /// Creates a template pool's VM if it does not exist yet (first handout of that VM, or after a reset), on the
    /// pool's host with the most room that answers (see `placementOrder`); a host that fails to create it is
    /// passed over for the next. Returns where the VM lives. A VM that cannot be created leaves the pool again, so
    /// its name is free for a later try.
    @discardableResult
    func provisionIfNeeded(_ vm: String, of pool: PoolRecord) async throws -> VMRef {
        guard let template = pool.template,
            let record = try await store.vm(named: vm, inPool: pool.name), !record.isProvisioned
        else { return try await ref(ofVM: vm, in: pool) }
        let started = ContinuousClock.now
        var failure: (any Error)?
        for host in try await placementOrder(for: pool) {
            let placed = VMRef(connectURI: host, domain: vm)
            do {
                // Recorded first, so that a broker stopped halfway knows where to throw leftovers away.
                try await store.setConnectURI(host == pool.connectURI ? nil : host, ofVM: vm, inPool: pool.name)
                try await hypervisor.provision(placed, from: template)
            } catch {
                logger.error("could not create \(vm) of pool \(pool.name) from its template on \(host): \(error)")
                failure = error
                continue
            }
            try await store.markProvisioned(vm: vm, pool: pool.name, true)
            let whereText = pool.otherConnectURIs.isEmpty ? "" : " on \(host)"
            logger.info("created \(vm) of pool \(pool.name) from its template\(whereText) in \((ContinuousClock.now - started).millisecondsText)")
            return placed
        }
        throw failure ?? BrokerError.hypervisor("No host of pool \(pool.name) could create \(vm).")
    }

    /// Resets a VM marked for it (a volatile desktop whose session ended, an unassigned one): powered off, domain
    /// and overlay thrown away, to be created afresh for its next user. A reset that fails marks the VM broken.
    func resetIfNeeded(_ vm: String, of pool: PoolRecord) async {
        guard let template = pool.template,
            let record = try? await store.vm(named: vm, inPool: pool.name), record.needsReset
        else { return }
        do {
            try await hypervisor.discard(Self.ref(record, of: pool), from: template)
            try await store.finishReset(vm: vm, pool: pool.name)
            logger.info("reset \(vm) of pool \(pool.name): its overlay is gone, the next user gets a fresh one")
        } catch {
            logger.error("could not reset \(vm) of pool \(pool.name); marking it broken: \(error)")
            try? await store.markBroken(vm: vm, pool: pool.name, reason: "reset failed: \(error)")
        }
    }

    /// Finishes resets cut short by an earlier run (at start, before serving).
    public func resumePendingResets() async throws {
        for vm in try await store.vmsNeedingReset() {
            guard let pool = try await store.pool(named: vm.pool) else { continue }
            await resetIfNeeded(vm.name, of: pool)
        }
    }

    /// Takes a persistent desktop from its user. A template pool's VM is reset, so the next user starts clean; an
    /// existing VM goes back to the pool as it is. Fails with `vm_in_use` while the VM has a session.
    public func unassign(vm: String, inPool poolName: String, by actor: String = AuditLog.cliActor) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        let record = try await BrokerError.mapping { try await store.unassign(vm: vm, pool: poolName) }
        await resetIfNeeded(vm, of: pool)
        logger.info("unassigned \(vm) of pool \(poolName) (was \(record.assignedUser ?? "nobody")'s)")
        await audit.record(.vmUnassign, by: actor, subject: "\(poolName)/\(vm)", "was \(record.assignedUser ?? "nobody")'s")
    }

    /// Puts a VM marked broken back into service. A volatile pool's VM is recreated from the base image at its next
    /// handout; any other VM (a persistent desktop keeps its user's data) is handed out as it is: fix it first.
    public func repair(vm: String, inPool poolName: String, by actor: String = AuditLog.cliActor) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard let record = try await store.vm(named: vm, inPool: poolName) else {
            throw BrokerError.vmNotInPool(vm, pool: poolName)
        }
        if try await store.sessions().contains(where: { $0.pool == poolName && $0.vm == vm }) {
            throw BrokerError(StoreError.vmInUse(vm))
        }
        if let template = pool.template, pool.desktopMode == .volatile {
            try await hypervisor.discard(Self.ref(record, of: pool), from: template)
            try await BrokerError.mapping { try await store.markProvisioned(vm: vm, pool: poolName, false) }
        }
        try await BrokerError.mapping { try await store.markBroken(vm: vm, pool: poolName, reason: nil) }
        logger.info("repaired \(vm) of pool \(poolName)")
        await audit.record(.vmRepair, by: actor, subject: "\(poolName)/\(vm)")
    }
}
