import Foundation

/// Everything the broker keeps: users, login tokens, pools, VMs and sessions with their port leases.
///
/// Backends (SQLite now, PostgreSQL later) implement whole domain operations, so that each one is a single
/// transaction and no SQL dialect leaks above this protocol.
public protocol Store: Sendable {
    /// Waits until the store can be used (its database reached, its schema current); throws why not. Operations
    /// wait for it on their own; callers use it to fail at start rather than at the first request.
    func prepare() async throws

    // MARK: Users
    /// Adds a user; throws `StoreError.userExists` for a taken name.
    func addUser(_ user: UserRecord) async throws
    func user(named name: String) async throws -> UserRecord?
    func users() async throws -> [UserRecord]
    /// Changes a user's roles and/or password hash (nil leaves it); a new password signs the user out everywhere (their
    /// tokens are deleted). Throws `StoreError.userNotFound`.
    func updateUser(named name: String, isAdmin: Bool?, isAuditor: Bool?, passwordHash: String?) async throws
    /// Deletes a user with their tokens, group memberships and grants; their persistent desktops lose their owner.
    /// Throws `StoreError.userNotFound`, or `StoreError.userHasSessions` while they hold a session (nothing changes).
    func deleteUser(named name: String) async throws

    // MARK: Login tokens
    /// Stores a login token by its hash (the token itself is never stored).
    func addToken(hash: String, user: String, expiresAt: Date) async throws
    /// The user a live token belongs to, or nil for an unknown or expired one.
    func user(forTokenHash hash: String, now: Date) async throws -> UserRecord?
    func deleteToken(hash: String) async throws
    /// Drops expired tokens; returns how many.
    @discardableResult func deleteExpiredTokens(now: Date) async throws -> Int

    // MARK: Login throttling
    /// The failure records of `keys`; a key without one is absent.
    func loginFailures(_ keys: [String]) async throws -> [String: LoginFailureRecord]
    /// Replaces the record of each key with what `change` makes of it (nil: none yet), in one transaction, so that
    /// failures counted at once by several brokers are all counted.
    func updateLoginFailures(_ keys: [String], _ change: @escaping @Sendable (String, LoginFailureRecord?) -> LoginFailureRecord)
        async throws
    /// Forgets a key's failures.
    func clearLoginFailures(_ key: String) async throws
    /// Drops the records whose last failure came before `date`; returns how many.
    @discardableResult func deleteLoginFailures(lastBefore date: Date) async throws -> Int

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

    // MARK: Upkeep leases
    /// Takes or renews the upkeep lease of `pool` for `holder` until `now + duration`, in one statement; false (and
    /// nothing changes) while another holder's lease runs or when there is no such pool.
    func holdUpkeepLease(pool: String, holder: String, now: Date, duration: TimeInterval) async throws -> Bool
    /// Every pool's lease, by pool name.
    func upkeepLeases() async throws -> [UpkeepLease]

    // MARK: Session grants (browser-console tokens, phone links)
    /// Stores a grant; it goes when it expires or its session ends.
    func addSessionGrant(_ grant: SessionGrantRecord) async throws
    /// Uses the live grant of `kind` with this hash, in one transaction: a single-use grant (`window` nil) is spent,
    /// one with a window starts it at its first use (expiring `window` later, never past its expiry). Nil for an
    /// unknown, spent or expired grant; an expired one is deleted, so it stays spent whatever clock asks next.
    func useSessionGrant(hash: String, kind: SessionGrantRecord.Kind, now: Date, window: TimeInterval?) async throws
        -> SessionGrantRecord?
    /// Drops the grants expired before `now`; returns how many.
    @discardableResult func deleteExpiredSessionGrants(now: Date) async throws -> Int

    // MARK: Nodes
    /// Records a node's report (replacing its previous one).
    func recordNode(_ node: NodeRecord) async throws
    /// Every node that ever reported, by name.
    func nodes() async throws -> [NodeRecord]

    // MARK: Sessions and port leases
    /// In one transaction: returns the user's session in the pool if there is one, else holds a VM and the lowest
    /// free port of the range for a new session in state `starting`. The VM is the user's own in a persistent pool
    /// (assigned at its first claim), else a free one, else a new unprovisioned one within a template pool's
    /// maximum. Two claims never get the same VM or port.
    func claimDesktop(_ claim: DesktopClaim) async throws -> ClaimResult
    /// Records the VM's SPICE endpoint (its TLS port too, when it has one) and marks the session ready.
    func markReady(sessionID: String, targetAddress: String, targetPort: Int, targetTLSPort: Int?) async throws -> SessionRecord
    /// Re-pins a session to the address its user now comes from.
    func updateClientAddress(sessionID: String, clientAddress: String) async throws -> SessionRecord
    func session(id: String) async throws -> SessionRecord?
    func sessions() async throws -> [SessionRecord]
    /// The sessions whose VM's SPICE endpoint, plain or TLS, is `address:port` (one, unless VMs of two hosts share an
    /// address).
    func sessions(targetAddress address: String, targetPort port: Int) async throws -> [SessionRecord]
    /// Gives `publicAddress` the sessions that name no gateway address (made before brokers had their own) or name
    /// `formerAddress` (the broker's address before its configuration changed); returns how many.
    @discardableResult func adoptSessions(publicAddress: String, formerAddress: String?) async throws -> Int
    /// Ends a session: its port is free again and its VM goes back to the pool (marked for reset in a volatile pool;
    /// still its user's in a persistent one). Returns the ended session.
    func deleteSession(id: String) async throws -> SessionRecord

    // MARK: Groups and entitlements
    /// Adds an empty group; throws `groupExists` for a taken name.
    func addGroup(named name: String, now: Date) async throws
    /// Deletes a group with its memberships and the grants made to it; throws `groupNotFound`.
    func deleteGroup(named name: String) async throws
    /// Every group with its members, by name.
    func groups() async throws -> [GroupRecord]
    /// Adds users to a group (members already in stay); all or none. Throws `groupNotFound` or `userNotFound`.
    func addMembers(_ users: [String], toGroup group: String) async throws
    /// Takes users out of a group; throws `groupNotFound`.
    func removeMembers(_ users: [String], fromGroup group: String) async throws
    /// Grants a pool (again: no change); throws `poolNotFound`, `userNotFound` or `groupNotFound`.
    func grantPool(_ pool: String, to grant: PoolGrant) async throws
    /// Withdraws a grant; returns whether there was one. Throws `poolNotFound`.
    @discardableResult func revokePool(_ pool: String, from grant: PoolGrant) async throws -> Bool
    /// Each pool's grants, by pool name (pools without grants are absent).
    func poolGrants() async throws -> [String: [PoolGrant]]
    /// Replaces the groups a directory puts `user` in (learnt at their last login); grants to a group of that name
    /// reach them as they reach the group's own members.
    func setDirectoryGroups(_ groups: [String], ofUser user: String) async throws
    /// The pools `user` may use: granted to everyone, to them, or to a group of theirs (own or directory).
    func entitledPools(ofUser user: String) async throws -> Set<String>

    // MARK: Audit log
    /// Appends an entry to the audit log.
    func appendAuditEvent(_ event: AuditEvent) async throws
    /// Entries newest first: at most `limit`, older than the entry `before` when given (for paging).
    func auditEvents(before: Int64?, limit: Int) async throws -> [AuditEvent]
    /// The entries of `action` about any of `subjects`, newest first.
    func auditEvents(_ action: AuditAction, about subjects: [String]) async throws -> [AuditEvent]
    /// Deletes the entries made before `date`; returns how many.
    @discardableResult func deleteAuditEvents(olderThan date: Date) async throws -> Int

    // MARK: Moving between backends
    /// Everything the store holds, read in one transaction.
    func snapshot() async throws -> StoreSnapshot
    /// Writes `snapshot` into this store in one transaction: all or nothing. Throws `notEmpty` unless the store
    /// holds no user, pool, group or session.
    func restore(_ snapshot: StoreSnapshot) async throws

    // MARK: Upkeep holds
    /// Holds a pool's VMs for `holder` (a broker's upkeep preparing them or taking them down) until `until`: no claim
    /// hands them out meanwhile, whichever broker makes it. All or none, in one transaction that claims of the pool
    /// wait for: false, holding nothing, when one of them has a session or another holder's hold that has not expired.
    func holdVMs(_ names: Set<String>, inPool pool: String, holder: String, until: Date, now: Date) async throws -> Bool
    /// Lets go of `holder`'s holds on the VMs.
    func releaseVMs(_ names: Set<String>, inPool pool: String, holder: String) async throws

    // MARK: Announcements
    /// Whether session changes made through other store instances are announced (`watchSessionChanges`): true for
    /// PostgreSQL, which several brokers share; SQLite serves one broker and announces nothing.
    var announcesSessionChanges: Bool { get }
    /// Calls `listening` once announcements are being received, then `changed` with each session change another
    /// store instance commits, in commit order, until the task is cancelled (returns) or the database connection is
    /// lost (throws). Changes made meanwhile are missed: callers reconcile from `listening`.
    func watchSessionChanges(
        listening: @escaping @Sendable () async -> Void, changed: @escaping @Sendable (SessionChange) async -> Void
    ) async throws
}

extension Store {
    public func prepare() async throws {}

    /// Adds domains that live on the pool's first host.
    public func addVMs(_ names: [String], toPool pool: String, now: Date) async throws {
        try await addVMs(names, toPool: pool, hosts: [:], now: now)
    }

    public var announcesSessionChanges: Bool { false }

    /// Nothing is announced: returns at once.
    public func watchSessionChanges(
        listening: @escaping @Sendable () async -> Void, changed: @escaping @Sendable (SessionChange) async -> Void
    ) async throws {}
}
