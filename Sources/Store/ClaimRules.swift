/// The choices a claim makes inside its transaction, shared by every backend so that none has rules of its own:
/// a backend reads the rows, asks these, and writes the answer.
public enum ClaimRules {
    /// The lowest port of `range` that no session leases.
    public static func freePort(in range: ClosedRange<Int>, leased: Set<Int>) -> Int? {
        range.first { !leased.contains($0) }
    }

    /// The free VM to hand out: the first of `preferring` that is free, else the first of `free` (which the store
    /// lists created ones first, then by name); never one of `excluding`.
    public static func freeVM(_ free: [String], excluding: Set<String>, preferring: [String]) -> String? {
        let candidates = free.filter { !excluding.contains($0) }
        return preferring.first(where: candidates.contains) ?? candidates.first
    }

    /// The name a template pool's next VM gets: the pool's lowest number whose name is neither taken nor excluded.
    public static func newVMName(pool: String, taken: Set<String>, excluding: Set<String>) -> String {
        (1...).lazy.map { TemplateNaming.vmName(pool: pool, number: $0) }
            .first { !taken.contains($0) && !excluding.contains($0) }!
    }

    /// Whether a template pool of `vmCount` VMs may create another one.
    public static func mayCreateVM(_ pool: PoolRecord, vmCount: Int) -> Bool {
        guard let template = pool.template else { return false }
        return vmCount < template.maxVMs
    }

    /// How many more VMs a pool may still create (0 for a pool of existing VMs).
    public static func creatableVMs(_ pool: PoolRecord, vmCount: Int) -> Int {
        pool.template.map { max(0, $0.maxVMs - vmCount) } ?? 0
    }

    /// The user's own VM of a persistent pool, if the claim may have it now; throws why not.
    public static func ownVM(_ own: VMRecord, pool: String, claim: DesktopClaim) throws -> String {
        if let reason = own.brokenReason { throw StoreError.vmBroken(vm: own.name, reason: reason) }
        guard !claim.excludedVMs.contains(own.name) else { throw StoreError.noFreeVM(pool: pool) }
        guard !claim.busyVMs.contains(own.name) else { throw StoreError.vmBusy(own.name) }
        return own.name
    }

    /// Throws `sessionLimit` when a user holding `held` sessions of the pool may not get another one.
    public static func checkSessionLimit(_ pool: PoolRecord, held: Int) throws {
        guard held < pool.policy.maxSessionsPerUser else {
            throw StoreError.sessionLimit(pool: pool.name, limit: pool.policy.maxSessionsPerUser)
        }
    }
}
