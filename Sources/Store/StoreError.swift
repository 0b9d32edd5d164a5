/// Why the store refused an operation; backends map their own failures onto these.
public enum StoreError: Error, Equatable, Sendable {
    case userExists(String)
    case userNotFound(String)
    case groupExists(String)
    case groupNotFound(String)
    case poolExists(String)
    case poolNotFound(String)
    /// The VM is already in a pool (the named one).
    case vmInPool(vm: String, pool: String)
    case vmNotFound(String)
    /// Every VM of the pool is held by a session.
    case noFreeVM(pool: String)
    /// Every port of the public range is leased.
    case noFreePort
    case sessionNotFound(String)
    /// The VM has a live session and cannot leave its pool.
    case vmInUse(String)
    /// The pool still has live sessions (how many) and cannot be deleted.
    case poolInUse(String, sessions: Int)
    /// The user's own (persistent) VM is marked broken, with the recorded reason.
    case vmBroken(vm: String, reason: String)
    /// The user already holds as many desktops of the pool as it allows each user.
    case sessionLimit(pool: String, limit: Int)
    /// The user's own (persistent) VM is held for a moment by pool upkeep (being shut down, started or removed).
    case vmBusy(String)
    /// The user still holds live sessions (how many) and cannot be deleted.
    case userHasSessions(String, sessions: Int)
    /// The store already holds data (a restore goes into an empty one only).
    case notEmpty
}
