import Foundation

/// Pools and their VMs, and the holds a broker's upkeep takes on them.
public protocol PoolRepository: Sendable {
    // MARK: Pools and VMs
    func addPool(_ pool: PoolRecord) async throws
    func pool(named name: String) async throws -> PoolRecord?
    func poolSummaries() async throws -> [PoolSummary]
    /// Every pool, by name.
    func pools() async throws -> [PoolRecord]
    /// Replaces a pool's policy.
    func updatePolicy(_ policy: PoolPolicy, ofPool pool: String) async throws
    /// Replaces a pool's hosts: its first one and the others.
    func setConnectURI(_ connectURI: String, others: [String], ofPool pool: String) async throws
    /// Adds domains to a pool in one transaction: all or none. `hosts` names the host of each VM that does not live
    /// on the pool's first host.
    func addVMs(_ names: [String], toPool pool: String, hosts: [String: String], now: Date) async throws
    func vms(inPool pool: String) async throws -> [VMRecord]
    /// One VM of a pool, or nil when the pool has none of that name.
    func vm(named name: String, inPool pool: String) async throws -> VMRecord?
    /// A VM to prepare as a spare: a free one not in `excluding` (created ones first), else a new unprovisioned one
    /// within a template pool's maximum; nil when there is none.
    func spareCandidate(inPool pool: String, excluding: Set<String>, now: Date) async throws -> String?
    /// Records whether a template pool's VM exists in libvirt (domain and overlay).
    func markProvisioned(vm: String, pool: String, _ provisioned: Bool) async throws
    /// Records the host a VM lives on (nil: its pool's first host), before a template pool's VM is created there.
    func setConnectURI(_ connectURI: String?, ofVM vm: String, inPool pool: String) async throws
    /// A reset VM is free again: no longer waiting for its reset, and to be created anew (not provisioned).
    func finishReset(vm: String, pool: String) async throws
    /// Marks a VM broken with a reason for admins (claims pass it over), or healthy again with nil.
    func markBroken(vm: String, pool: String, reason: String?) async throws
    /// Takes a persistent desktop from its user; a template pool's VM is also marked for reset. Throws
    /// `vmInUse` while the VM has a session.
    func unassign(vm: String, pool: String) async throws -> VMRecord
    /// Deletes a pool with its VM records (libvirt is not touched) and returns them; throws `poolInUse` while it
    /// has sessions.
    func deletePool(named name: String) async throws -> [VMRecord]
    /// Drops a VM from its pool (a template pool's VM that could not be created frees its name). Throws `vmInUse`
    /// while it has a session.
    func removeVM(_ vm: String, fromPool pool: String) async throws
    /// VMs still waiting for their reset (a reset cut short by a crash is finished at the next start).
    func vmsNeedingReset() async throws -> [VMRecord]

    // MARK: Upkeep holds
    /// Holds a pool's VMs for `holder` (a broker's upkeep preparing them or taking them down) until `until`: no claim
    /// hands them out meanwhile, whichever broker makes it. All or none, in one transaction that claims of the pool
    /// wait for: false, holding nothing, when one of them has a session or another holder's hold that has not expired.
    func holdVMs(_ names: Set<String>, inPool pool: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Lets go of `holder`'s holds on the VMs.
    func releaseVMs(_ names: Set<String>, inPool pool: String, holder: String) async throws
}

extension PoolRepository {
    /// Adds domains that live on the pool's first host.
    public func addVMs(_ names: [String], toPool pool: String, now: Date) async throws {
        try await addVMs(names, toPool: pool, hosts: [:], now: now)
    }
}
