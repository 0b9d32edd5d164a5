import Foundation
import Store

/// A broker among those sharing the database, as admins see it.
public struct NodeStatus: Sendable, Equatable, Codable {
    public var name: String
    public var publicAddress: String
    public var portRange: String
    /// The sessions it forwards: ready sessions handed out on its address, reached by its DNAT rules.
    public var forwardedSessions: Int
    public var startedAt: Date
    public var lastSeen: Date
    /// Whether it reported within `Broker.nodeSilenceLimit`.
    public var isUp: Bool
    /// The pools whose upkeep lease it holds now.
    public var keptPools: [String]
    /// What it does: `api`, `gateway`, `proxy`, `upkeep` (all of them for a node that reported before roles existed).
    public var roles: [String]
}

extension Broker {
    /// How often a serving broker reports itself.
    public static let nodeReportInterval: Duration = .seconds(5)
    /// A node silent for this long is shown as down.
    public static let nodeSilenceLimit: TimeInterval = 20

    /// Records this broker's report: its name, public address and port range, and that it is alive.
    public func reportNode(startedAt: Date, now: Date = Date()) async throws {
        let range = "\(settings.portRange.lowerBound)-\(settings.portRange.upperBound)"
        try await store.recordNode(
            NodeRecord(
                name: settings.nodeName, publicAddress: settings.publicAddress, portRange: range, startedAt: startedAt,
                lastSeen: now, roles: settings.roles.sorted().map(\.rawValue)))
    }

    /// Every broker that reported, by name, with whether it is up, what it forwards and the pools it keeps.
    public func nodes(now: Date = Date()) async throws -> [NodeStatus] {
        let leases = try await store.upkeepLeases().filter { $0.expiresAt > now }
        let forwarded = try await store.sessions().filter { $0.route == .direct && $0.state == .ready }
        return try await store.nodes().map { node in
            NodeStatus(
                name: node.name, publicAddress: node.publicAddress, portRange: node.portRange,
                forwardedSessions: forwarded.filter { $0.publicAddress == node.publicAddress }.count,
                startedAt: node.startedAt, lastSeen: node.lastSeen,
                isUp: now.timeIntervalSince(node.lastSeen) < Self.nodeSilenceLimit,
                keptPools: leases.filter { $0.holder == node.name }.map(\.pool).sorted(),
                roles: node.roles.isEmpty ? NodeRole.allCases.map(\.rawValue) : node.roles)
        }
    }
}
