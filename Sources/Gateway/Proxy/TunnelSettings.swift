/// The per-tunnel knobs, taken from `ProxyConfiguration`.
struct TunnelSettings: Sendable {
    var bufferLimit: Int
    var idleTimeout: Duration
    var handshakeTimeout: Duration
    /// How long connecting to the target may take.
    var connectTimeout: Duration = .seconds(5)

    init(_ configuration: ProxyConfiguration) {
        self.bufferLimit = configuration.bufferLimit
        self.idleTimeout = configuration.idleTimeout
        self.handshakeTimeout = configuration.handshakeTimeout
    }

    /// The splice relays' options: `bufferLimit` bytes held per direction, the timeouts and the tunnel's replies.
    var relayOptions: SpliceRelays.Options {
        var options = SpliceRelays.Options()
        options.bufferLimit = self.bufferLimit
        options.idleTimeout = self.idleTimeout
        options.connectTimeout = self.connectTimeout
        options.requestTimeout = self.handshakeTimeout
        options.tunnelOpenedReply = Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)
        options.tunnelFailedReply = TunnelRefusal.unreachable.response
        return options
    }
}
