import NIOCore

/// The per-tunnel knobs, taken from `ProxyConfiguration`.
struct TunnelSettings: Sendable {
    var bufferLimit: Int
    var idleTimeout: Duration
    var handshakeTimeout: TimeAmount
    /// How long connecting to the target may take.
    var connectTimeout: Duration = .seconds(5)

    init(_ configuration: ProxyConfiguration) {
        self.bufferLimit = configuration.bufferLimit
        self.idleTimeout = configuration.idleTimeout
        self.handshakeTimeout = TimeAmount(configuration.handshakeTimeout)
    }

    /// The splice relays' options: `bufferLimit` bytes held per direction, the idle and connect timeouts.
    var relayOptions: SpliceRelays.Options {
        var options = SpliceRelays.Options()
        options.bufferLimit = self.bufferLimit
        options.idleTimeout = self.idleTimeout
        options.connectTimeout = self.connectTimeout
        return options
    }
}
