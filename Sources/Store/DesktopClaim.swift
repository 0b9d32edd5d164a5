import Foundation

/// A request to hold a free VM and a free public port of a pool for one user.
public struct DesktopClaim: Sendable {
    public var user: String
    public var pool: String
    public var clientAddress: String
    /// The public ports the gateway may lease.
    public var portRange: ClosedRange<Int>
    /// The address of the gateway that will forward the session's port (the claiming broker's own).
    public var publicAddress: String?
    /// VMs not to hand out this time (say, ones that just failed to start).
    public var excludedVMs: Set<String> = []
    /// VMs someone else is preparing right now (a spare being created or booted): never handed out meanwhile.
    public var busyVMs: Set<String> = []
    /// The broker claiming (its node name): the store's upkeep holds of other brokers count as busy, its own not
    /// (it knows them as `busyVMs`).
    public var holder: String?
    /// Free VMs to hand out first, in order (spares already running).
    public var preferredVMs: [String] = []
    /// A further desktop even though the user has one in the pool (up to the pool's `maxSessionsPerUser`); without
    /// it the user's first session there is given back.
    public var another = false
    /// The id the new session gets if one is created.
    public var newSessionID: String
    public var now: Date

    public init(
        user: String, pool: String, clientAddress: String, portRange: ClosedRange<Int>,
        newSessionID: String = UUID().uuidString.lowercased(), now: Date = Date()
    ) {
        self.user = user
        self.pool = pool
        self.clientAddress = clientAddress
        self.portRange = portRange
        self.newSessionID = newSessionID
        self.now = now
    }
}

/// What a claim gave: the user's session already in the pool, or a new one.
public enum ClaimResult: Sendable, Equatable {
    case existing(SessionRecord)
    case created(SessionRecord)

    /// The session, new or old.
    public var session: SessionRecord {
        switch self {
        case .existing(let session), .created(let session): session
        }
    }
}
