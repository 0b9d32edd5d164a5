import NIOSSL

/// How the WebSocket gateway listens and how it treats its connections.
public struct GatewayConfiguration: Sendable {
    /// TLS for `wss://`, when set: every accepted connection does the TLS handshake first.
    public var tls: NIOSSLContext?
    /// The address to bind, e.g. "0.0.0.0" or "127.0.0.1".
    public var host: String
    /// The port to bind; 0 picks any free port (see `WebSocketGateway.boundPort()`).
    public var port: Int
    /// The largest WebSocket frame accepted from a browser and the largest frame sent to it, in bytes.
    public var maxFrameSize: Int = 1 << 20
    /// Bytes held per direction before reading from the other side pauses (the write buffer's high water mark).
    public var bufferLimit: Int = 256 * 1024
    /// A connection with no data in either direction for this long is closed with 4408.
    public var idleTimeout: Duration = .seconds(300)
    /// How often the gateway pings the browser, keeping middleboxes from dropping quiet connections.
    public var pingInterval: Duration = .seconds(30)
    /// The time allowed from accepting a TCP connection to relaying bytes (HTTP upgrade, redemption, connection).
    public var handshakeTimeout: Duration = .seconds(10)
    /// Whether plain `ws://` connections are relayed by the splice(2) engine (desktop bytes reach the browser
    /// without entering user space); false keeps them on NIO's event loops, as `wss://` connections always are.
    public var splicesPlainConnections = true
    /// The most connections open at once, handshakes included; one more is closed as soon as it is accepted, so a
    /// flood of the gateway leaves the process descriptors for the HTTP API and the CONNECT proxy, and theirs leave
    /// the gateway its own. By default a quarter of the open-files hard limit (`saffron serve` raises the soft limit
    /// to it) at four descriptors a connection: the browser's socket, the desktop's, and a relay's pipe.
    public var maxConnections = GatewayConfiguration.defaultMaxConnections

    /// Connections one client may hold at once, handshakes included; the one beyond is closed as soon as it is
    /// accepted. A browser console opens one per SPICE channel (four to six), and an office behind one NAT address
    /// holds all of its users' consoles.
    public var connectionsPerClient = 256
    /// The key an accepted peer's address (text, IPv4 clients of a dual-stack socket as IPv4) counts under in its
    /// client's share; nil counts it in the total only (a trusted reverse proxy carrying many clients). By default
    /// the address itself; the broker counts an IPv6 client by its /64.
    public var client: @Sendable (String) -> String? = { $0 }

    /// A quarter of the open-files hard limit at four descriptors a connection (at least 16).
    public static var defaultMaxConnections: Int {
        DescriptorShare.connections(parts: 4, descriptorsEach: 4, of: DescriptorShare.hardLimit)
    }

    /// `address` without the `::ffff:` of an IPv4 client of a dual-stack socket.
    static func plainIPv4(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }

    /// Creates a configuration listening on the given address, with defaults for everything else.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
