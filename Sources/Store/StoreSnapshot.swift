import Foundation

/// Everything a store holds, for moving a broker's state from one backend to another (`saffron db migrate-to`).
public struct StoreSnapshot: Sendable, Equatable, Codable {
    /// A login token as stored: its hash, never the token.
    public struct Token: Sendable, Equatable, Codable {
        public var hash: String
        public var user: String
        public var expiresAt: Date

        public init(hash: String, user: String, expiresAt: Date) {
            self.hash = hash
            self.user = user
            self.expiresAt = expiresAt
        }
    }

    /// One pool granted to one principal.
    public struct Grant: Sendable, Equatable, Codable {
        public var pool: String
        public var grant: PoolGrant

        public init(pool: String, grant: PoolGrant) {
            self.pool = pool
            self.grant = grant
        }
    }

    public var users: [UserRecord] = []
    public var tokens: [Token] = []
    public var pools: [PoolRecord] = []
    public var vms: [VMRecord] = []
    public var sessions: [SessionRecord] = []
    /// Groups with their members.
    public var groups: [GroupRecord] = []
    public var grants: [Grant] = []
    /// The groups a directory put each user in, by user.
    public var directoryGroups: [String: [String]] = [:]
    /// The audit log, oldest first, with its ids.
    public var auditEvents: [AuditEvent] = []

    public init() {}

    /// How many rows of each kind, for progress and summaries.
    public var counts: KeyValuePairs<String, Int> {
        [
            "users": users.count, "login tokens": tokens.count, "pools": pools.count, "VMs": vms.count,
            "sessions": sessions.count, "groups": groups.count, "grants": grants.count,
            "directory memberships": directoryGroups.values.map(\.count).reduce(0, +), "audit entries": auditEvents.count,
        ]
    }
}
