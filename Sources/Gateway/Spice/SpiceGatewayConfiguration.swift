import NIOSSL

/// How the SPICE gateway listens and treats its connections.
public struct SpiceGatewayConfiguration: Sendable {
    /// The address to bind, e.g. "0.0.0.0".
    public var host: String
    /// The port to bind; 0 picks a free one (see `SpiceGateway.boundPort()`).
    public var port: Int
    /// TLS toward clients; nil serves plain SPICE (for tests and networks that wrap it otherwise).
    public var tls: NIOSSLContext?
    /// Also listen on 127.0.0.1 (any port, see `SpiceGateway.relayPort()`) in plain text, for the broker's own
    /// WebSocket gateway, whose browser consoles reach desktops through this gateway; every connection there must
    /// name its client first (`ClientPreface`).
    public var servesRelays = false
    /// What a second viewer with the same credential does to the first.
    public var secondViewer = SpiceSecondViewer.replace
    /// The time from accepting a connection to relaying its channel: the TLS handshake, the client's link, the
    /// credential's lookup and the desktop's link.
    public var linkTimeout: Duration = .seconds(15)
    /// How long connecting to a desktop may take.
    public var connectTimeout: Duration = .seconds(5)
    /// Bytes held per direction before reading from the other side pauses.
    public var bufferLimit = 256 * 1024
    /// The most connections open at once; by default a quarter of the open-files hard limit at two descriptors each.
    public var maxConnections = DescriptorShare.connections(parts: 4, descriptorsEach: 2, of: DescriptorShare.hardLimit)
    /// Connections one client may hold at once (a viewer opens 4 to 8 channels).
    public var connectionsPerClient = 64
    /// The key an accepted peer's address counts under in its client's share (see `GatewayConfiguration.client`).
    public var client: @Sendable (String) -> String? = { $0 }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}
