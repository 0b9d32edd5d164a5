import Firewall
import Foundation
import Store

/// A broker among those sharing the database, as admins see it.
public struct NodeStatus: Sendable, Equatable, Encodable {
    public var name: String
    public var publicAddress: String
    public var portRange: String
    /// Sessions its firewall forwarded at its last report; nil when it could not tell.
    public var forwardedSessions: Int?
    public var startedAt: Date
    public var lastSeen: Date
    /// Whether it reported within `Broker.nodeSilenceLimit`.
    public var isUp: Bool
    /// The pools whose upkeep lease it holds now.
    public var keptPools: [String]

    /// Every key is written, a missing count as `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(publicAddress, forKey: .publicAddress)
        try container.encode(portRange, forKey: .portRange)
        try container.encode(forwardedSessions, forKey: .forwardedSessions)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(lastSeen, forKey: .lastSeen)
        try container.encode(isUp, forKey: .isUp)
        try container.encode(keptPools, forKey: .keptPools)
    }

    private enum CodingKeys: String, CodingKey {
        case name, publicAddress, portRange, forwardedSessions, startedAt, lastSeen, isUp, keptPools
    }

    public init(
        name: String, publicAddress: String, portRange: String, forwardedSessions: Int?, startedAt: Date, lastSeen: Date,
        isUp: Bool, keptPools: [String]
    ) {
        self.name = name
        self.publicAddress = publicAddress
        self.portRange = portRange
        self.forwardedSessions = forwardedSessions
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.isUp = isUp
        self.keptPools = keptPools
    }
}

extension Broker {
    /// How often a serving broker reports itself.
    public static let nodeReportInterval: Duration = .seconds(5)
    /// A node silent for this long is shown as down.
    public static let nodeSilenceLimit: TimeInterval = 20

    /// Records this broker's report: its name, public address and port range, and how many sessions its firewall
    /// forwards now.
    public func reportNode(startedAt: Date, now: Date = Date()) async throws {
        let forwarded = try? await forwarder.forwardedSessions()
        let range = "\(settings.portRange.lowerBound)-\(settings.portRange.upperBound)"
        try await store.recordNode(
            NodeRecord(
                name: settings.nodeName, publicAddress: settings.publicAddress, portRange: range,
                forwardedSessions: forwarded, startedAt: startedAt, lastSeen: now))
    }

    /// Every broker that reported, by name, with whether it is up and the pools it keeps.
    public func nodes(now: Date = Date()) async throws -> [NodeStatus] {
        let leases = try await store.upkeepLeases().filter { $0.expiresAt > now }
        return try await store.nodes().map { node in
            NodeStatus(
                name: node.name, publicAddress: node.publicAddress, portRange: node.portRange,
                forwardedSessions: node.forwardedSessions, startedAt: node.startedAt, lastSeen: node.lastSeen,
                isUp: now.timeIntervalSince(node.lastSeen) < Self.nodeSilenceLimit,
                keptPools: leases.filter { $0.holder == node.name }.map(\.pool).sorted())
        }
    }
}
