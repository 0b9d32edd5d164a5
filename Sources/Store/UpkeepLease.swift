import Foundation

/// Which broker keeps a pool (its spares, reclaiming its unused sessions, shutting down its idle desktops) until
/// when: one at a time, so brokers sharing a database never tend one pool twice. A broker renews its lease at every
/// pass; when it dies the lease runs out and another one takes the pool over.
public struct UpkeepLease: Sendable, Equatable, Codable {
    public var pool: String
    /// The node name of the broker holding it.
    public var holder: String
    public var expiresAt: Date

    public init(pool: String, holder: String, expiresAt: Date) {
        self.pool = pool
        self.holder = holder
        self.expiresAt = expiresAt
    }
}
