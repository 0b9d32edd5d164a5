import Foundation

/// Sessions with their port leases, the tokens and links that open their consoles, and the announcements of their changes.
public protocol SessionRepository: Sendable {
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

extension SessionRepository {
    public var announcesSessionChanges: Bool { false }

    /// Nothing is announced: returns at once.
    public func watchSessionChanges(
        listening: @escaping @Sendable () async -> Void, changed: @escaping @Sendable (SessionChange) async -> Void
    ) async throws {}
}
