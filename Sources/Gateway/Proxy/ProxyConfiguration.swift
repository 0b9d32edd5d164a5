/// How the CONNECT proxy listens and how it treats its tunnels.
public struct ProxyConfiguration: Sendable {
    /// The address to bind, e.g. "0.0.0.0" or "127.0.0.1".
    public var host: String
    /// The port to bind; 0 picks any free port (see `ConnectProxy.boundPort()`).
    public var port: Int
    /// Connections one client address may hold open at once (a SPICE session opens one per channel, 4 to 8).
    public var connectionsPerClient: Int = 64
    /// Connections the proxy holds at once, whoever they are from; one beyond is answered 503 and closed. A flood
    /// of the proxy then leaves the process descriptors for the HTTP API and the WebSocket gateway. By default a
    /// quarter of the open-files hard limit (`saffron serve` raises the soft limit to it) at six descriptors a
    /// tunnel: the client's socket, the desktop's and a pipe each way.
    public var maxConnections = ProxyConfiguration.defaultMaxConnections
    /// Bytes held per direction before reading from the other side pauses: the size of the tunnel's pipe, whose
    /// pages the kernel fills only while bytes wait in it. Larger pipes mean fewer system calls per byte; a process
    /// without CAP_SYS_RESOURCE may be refused more than the kernel's default (then 64 KiB).
    public var bufferLimit: Int = 1024 * 1024
    /// A tunnel with no data in either direction for this long is closed. SPICE sends nothing while a screen is
    /// still, so this is long by default.
    public var idleTimeout: Duration = .seconds(3600)
    /// The time allowed from accepting a connection to its request's verdict (reading and authorizing it).
    public var handshakeTimeout: Duration = .seconds(10)
    /// How long the proxy trusts the authorizer's yes for a client and an endpoint: until then that client's next
    /// tunnels to that endpoint open without asking. Ending the session, or its client moving, forgets it at once.
    public var grantLifetime: Duration = .seconds(60)
    /// Endpoints that are sent a line naming the client (`ClientPreface`) before its bytes: the SPICE gateway, which
    /// checks a credential against the client's own address.
    public var clientNamingTargets: Set<ConnectTarget> = []

    /// A quarter of the open-files hard limit at six descriptors a tunnel (at least 16).
    public static var defaultMaxConnections: Int {
        DescriptorShare.connections(parts: 4, descriptorsEach: 6, of: DescriptorShare.hardLimit)
    }

    /// Creates a configuration listening on the given address, with defaults for everything else.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
