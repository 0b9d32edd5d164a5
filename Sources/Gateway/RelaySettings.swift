import NIOCore
import NIOSSL

/// The per-connection knobs of a relay, in NIO's units, taken from `GatewayConfiguration`.
struct RelaySettings: Sendable {
    /// TLS for `wss://`, when set.
    var tls: NIOSSLContext?
    var maxFrameSize: Int
    var bufferLimit: Int
    var idleTimeout: TimeAmount
    var pingInterval: TimeAmount
    var handshakeTimeout: TimeAmount
    /// How long we wait for the browser to answer our Close before dropping the connection.
    var closeGrace: TimeAmount = .seconds(1)
    /// How long connecting to the target may take.
    var connectTimeout: TimeAmount = .seconds(5)
    /// The largest single read from the target. Reads start small and grow while they come back full, so an idle
    /// connection keeps a small buffer, while a busy display stream moves in few, large frames: fewer system calls
    /// and frame headers per byte than NIO's default 64 KiB.
    var targetReadLimit = 1 << 20
    /// Where relayed bytes are counted.
    var metrics = RelayMetrics.none

    init(
        maxFrameSize: Int = 1 << 20, bufferLimit: Int = 256 * 1024, idleTimeout: TimeAmount = .seconds(300),
        pingInterval: TimeAmount = .seconds(30), handshakeTimeout: TimeAmount = .seconds(10)
    ) {
        self.maxFrameSize = maxFrameSize
        self.bufferLimit = bufferLimit
        self.idleTimeout = idleTimeout
        self.pingInterval = pingInterval
        self.handshakeTimeout = handshakeTimeout
    }

    init(_ configuration: GatewayConfiguration) {
        self.init(
            maxFrameSize: configuration.maxFrameSize,
            bufferLimit: configuration.bufferLimit,
            idleTimeout: TimeAmount(configuration.idleTimeout),
            pingInterval: TimeAmount(configuration.pingInterval),
            handshakeTimeout: TimeAmount(configuration.handshakeTimeout)
        )
        self.tls = configuration.tls
    }

    /// The splice engine's settings for relays of these knobs: the pipe holds `targetReadLimit` bytes, the largest
    /// single read from the desktop, as on the event loops.
    var spliceOptions: SpliceRelays.Options {
        var options = SpliceRelays.Options()
        options.bufferLimit = self.targetReadLimit
        options.idleTimeout = .nanoseconds(self.idleTimeout.nanoseconds)
        options.connectTimeout = .nanoseconds(self.connectTimeout.nanoseconds)
        options.maxFrameSize = self.maxFrameSize
        options.pingInterval = .nanoseconds(self.pingInterval.nanoseconds)
        options.closeGrace = .nanoseconds(self.closeGrace.nanoseconds)
        return options
    }

    /// The receive buffers of the target connection: growing up to `targetReadLimit`.
    var targetReadAllocator: AdaptiveRecvByteBufferAllocator { ChannelBuffers.growingReads(upTo: self.targetReadLimit) }

    /// Write buffer water marks bounding what each channel holds: reading from the partner pauses above `bufferLimit`.
    var waterMark: ChannelOptions.Types.WriteBufferWaterMark { ChannelBuffers.waterMark(limit: self.bufferLimit) }
}
