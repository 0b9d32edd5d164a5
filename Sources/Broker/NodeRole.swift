/// What one broker among several does; a node plays every role unless its config names fewer (`node.roles`).
public enum NodeRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Serves the HTTP API and web pages, and so hands out desktops (forwarded on its own address).
    case api
    /// Runs the WebSocket gateway of browser consoles.
    case gateway
    /// Runs the CONNECT proxy (when the config sets one up).
    case proxy
    /// Takes its turn keeping pools: spares, reclaiming unused sessions, idle shutdown, reconciling with libvirt.
    case upkeep

    public static func < (lhs: NodeRole, rhs: NodeRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
