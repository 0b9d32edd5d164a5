import HTTPAPI

/// How the HTTP API treats its connections, so that slow, idle or numerous clients cannot hold its descriptors:
/// each limit answers one way of keeping a connection open without using it.
struct HTTPConnectionLimits: Sendable {
    /// A request (head and body; the API takes only small JSON bodies) must arrive within this long of the
    /// connection opening (its TLS handshake included), or of its first byte on a kept-alive connection.
    var requestTimeout: Duration = .seconds(10)
    /// A kept-alive connection with no request for this long is closed.
    var idleTimeout: Duration = .seconds(60)
    /// Connections one client may hold open at once: an IPv4 address, or an IPv6 /64 (the block one host gets).
    var connectionsPerClient = 64
    /// Connections the API holds at once; beyond it, new ones wait in the listen backlog until one closes.
    var maxConnections = 1024
    /// Reverse proxies (`http.trustedProxies`) carry many clients' connections: they count only towards
    /// `maxConnections`.
    var trustedProxies: [AddressRange] = []
}
