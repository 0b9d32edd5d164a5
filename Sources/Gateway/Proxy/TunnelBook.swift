/// The CONNECT proxy's record of its connections, of how many each client address holds, and of the grants it
/// remembers, kept under one lock so that a session's end and a tunnel's grant cannot pass each other.
///
/// A grant is the authorizer's yes for one client address and one endpoint. It is remembered, so the session's
/// next tunnels (a SPICE client opens one per channel, and again on every reconnect) are granted without asking,
/// until the session ends, moves to another client address or the grant's lifetime passes. A yes that was being
/// asked while any session ended or moved is not trusted: it is asked again.
struct TunnelBook {
    /// One accepted connection.
    struct Connection {
        /// The address the client connected from.
        let client: String
        /// Whether it holds one of the client's connections in the per-client cap.
        let counted: Bool
        /// Where it was granted to go, and for which session.
        var target: ConnectTarget?
        var sessionID: String?
    }

    private struct GrantKey: Hashable {
        let client: String
        let target: ConnectTarget
    }

    private struct Grant {
        let sessionID: String
        let expires: ContinuousClock.Instant
    }

    /// Connections accepted and not yet ended, by relay id.
    private(set) var connections: [UInt64: Connection] = [:]
    /// Connections counted in each client address's share.
    private var held: [String: Int] = [:]
    private var grants: [GrantKey: Grant] = [:]
    /// Counts sessions ended or moved; an answer asked before the latest one is asked again.
    private(set) var revocations: UInt64 = 0
    /// Set at shutdown: no connection is taken any more.
    private(set) var isShut = false
    /// How long a remembered grant is trusted without asking again.
    let grantLifetime: Duration
    /// Connections one client address may hold at once (a SPICE session opens one per channel).
    let connectionsPerClient: Int
    /// Connections the proxy holds at once, whoever they are from, so a flood from many addresses leaves the
    /// process descriptors for the API and the WebSocket gateway.
    let maxConnections: Int
    /// A connection was refused for want of room, and none has ended since: further refusals are not news.
    private var refusingForRoom = false

    init(grantLifetime: Duration, connectionsPerClient: Int, maxConnections: Int = .max) {
        self.grantLifetime = grantLifetime
        self.connectionsPerClient = connectionsPerClient
        self.maxConnections = maxConnections
    }

    /// What became of a new connection.
    enum Admission: Equatable {
        /// Recorded and counted in its client's share.
        case taken
        /// Recorded, but its client already holds its share: its request is to be refused.
        case overShare
        /// Not recorded: the proxy holds as many connections as it may (`first` for the first such refusal since
        /// it last had room, so a flood is logged once).
        case full(first: Bool)
        /// Not recorded: the proxy is stopping.
        case shut
    }

    /// Records a new connection of `client`, counting it in the client's share while there is room.
    mutating func accepted(_ id: UInt64, client: String) -> Admission {
        guard !self.isShut else { return .shut }
        guard self.connections.count < self.maxConnections else {
            defer { self.refusingForRoom = true }
            return .full(first: !self.refusingForRoom)
        }
        self.refusingForRoom = false
        let held = self.held[client, default: 0]
        let counted = held < self.connectionsPerClient
        if counted { self.held[client] = held + 1 }
        self.connections[id] = Connection(client: client, counted: counted)
        return counted ? .taken : .overShare
    }

    /// The session a remembered grant gives the connection's request for `target`, recording the tunnel as the
    /// session's; nil when the authorizer must be asked.
    mutating func admit(_ id: UInt64, to target: ConnectTarget, now: ContinuousClock.Instant) -> String? {
        guard let client = self.connections[id]?.client else { return nil }
        let key = GrantKey(client: client, target: target)
        guard let grant = self.grants[key] else { return nil }
        guard grant.expires > now else {
            self.grants[key] = nil
            return nil
        }
        self.connections[id]?.target = target
        self.connections[id]?.sessionID = grant.sessionID
        return grant.sessionID
    }

    /// What to do with the authorizer's yes for the connection's request.
    enum Answer: Equatable {
        /// Granted and recorded: open the tunnel.
        case open
        /// A session ended or moved while it was asked: ask again.
        case askAgain
        /// The connection is gone.
        case gone
    }

    /// Records the authorizer's yes, asked when `revocations` was `askedAt`, and remembers the grant.
    mutating func granted(
        _ id: UInt64, to target: ConnectTarget, sessionID: String, askedAt: UInt64, now: ContinuousClock.Instant
    ) -> Answer {
        guard let client = self.connections[id]?.client else { return .gone }
        guard askedAt == self.revocations else { return .askAgain }
        self.connections[id]?.target = target
        self.connections[id]?.sessionID = sessionID
        self.grants[GrantKey(client: client, target: target)] = Grant(sessionID: sessionID, expires: now + self.grantLifetime)
        return .open
    }

    /// Forgets the session's grants (it ended or moved); returns its tunnels' relay ids.
    mutating func revoke(sessionID: String) -> [UInt64] {
        self.revocations &+= 1
        self.grants = self.grants.filter { $0.value.sessionID != sessionID }
        return self.connections.compactMap { $0.value.sessionID == sessionID ? $0.key : nil }
    }

    /// Takes no more connections; returns every relay id.
    mutating func shut() -> [UInt64] {
        self.isShut = true
        self.grants = [:]
        return Array(self.connections.keys)
    }

    /// Forgets an ended connection (and its place in its client's share), returning it.
    mutating func ended(_ id: UInt64) -> Connection? {
        guard let connection = self.connections.removeValue(forKey: id) else { return nil }
        if connection.counted {
            let held = self.held[connection.client, default: 0] - 1
            self.held[connection.client] = held > 0 ? held : nil
        }
        return connection
    }

    /// Tunnels granted and not yet ended.
    var tunnelCount: Int {
        self.connections.values.count { $0.sessionID != nil }
    }
}
