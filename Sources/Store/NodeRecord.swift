import Foundation

/// A broker among the brokers sharing one database, as it last reported itself.
public struct NodeRecord: Sendable, Equatable, Codable {
    /// Its `node.name`.
    public var name: String
    /// The gateway address its console files name and its forwarding rules match.
    public var publicAddress: String
    /// The public ports it leases, `FIRST-LAST`.
    public var portRange: String
    /// When it started serving.
    public var startedAt: Date
    /// When it last reported.
    public var lastSeen: Date
    /// What it does (`api`, `gateway`, `proxy`, `upkeep`); empty for a node that reported before roles existed.
    public var roles: [String]

    public init(
        name: String, publicAddress: String, portRange: String, startedAt: Date, lastSeen: Date, roles: [String] = []
    ) {
        self.roles = roles
        self.name = name
        self.publicAddress = publicAddress
        self.portRange = portRange
        self.startedAt = startedAt
        self.lastSeen = lastSeen
    }
}
