import NIOCore
import NIOPosix

/// How a CONNECT request becomes a tunnel: authorize the client for the target, then open the TCP connection.
///
/// A protocol so handler tests can hand in embedded channels instead of sockets.
protocol TunnelDialing: Sendable {
    /// The session the tunnel belongs to; fails with a `TunnelRefusal` when the client may not reach the target.
    func authorize(clientAddress: String, target: ConnectTarget, on eventLoop: any EventLoop) -> EventLoopFuture<String>
    /// Connects to the target on `eventLoop` (the client connection's own loop), not reading until glued.
    func connect(to target: ConnectTarget, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel>
}

/// The real dialer: the configured authorizer and a NIOPosix `ClientBootstrap`.
struct TunnelDialer: TunnelDialing {
    let authorizer: any TunnelAuthorizer
    let settings: TunnelSettings

    func authorize(clientAddress: String, target: ConnectTarget, on eventLoop: any EventLoop) -> EventLoopFuture<String> {
        let promise = eventLoop.makePromise(of: String.self)
        let authorizer = self.authorizer
        promise.completeWithTask { try await authorizer.authorize(clientAddress: clientAddress, target: target) }
        return promise.futureResult
    }

    func connect(to target: ConnectTarget, on eventLoop: any EventLoop) -> EventLoopFuture<any Channel> {
        // An address literal needs no resolver: connecting to the address itself skips NIO's getaddrinfo hop.
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: target.host, port: target.port)
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(self.settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.autoRead, value: false)
            .channelOption(.writeBufferWaterMark, value: self.settings.waterMark)
            .channelOption(.recvAllocator, value: self.settings.readAllocator)
            .connect(to: address)
    }
}

/// The per-tunnel knobs in NIO's units, taken from `ProxyConfiguration`.
struct TunnelSettings: Sendable {
    var bufferLimit: Int
    var idleTimeout: TimeAmount
    var handshakeTimeout: TimeAmount
    var connectionsPerClient: Int
    /// How long connecting to the target may take.
    var connectTimeout: TimeAmount = .seconds(5)
    /// The largest single read; reads grow while they come back full (see `RelaySettings.targetReadLimit`).
    var readLimit = 1 << 20

    init(_ configuration: ProxyConfiguration) {
        self.bufferLimit = configuration.bufferLimit
        self.idleTimeout = TimeAmount(configuration.idleTimeout)
        self.handshakeTimeout = TimeAmount(configuration.handshakeTimeout)
        self.connectionsPerClient = configuration.connectionsPerClient
    }

    /// Receive buffers of both ends: growing up to `readLimit`.
    var readAllocator: AdaptiveRecvByteBufferAllocator { ChannelBuffers.growingReads(upTo: self.readLimit) }

    /// Write buffer water marks bounding what each end holds: reading from the other end pauses above `bufferLimit`.
    var waterMark: ChannelOptions.Types.WriteBufferWaterMark { ChannelBuffers.waterMark(limit: self.bufferLimit) }
}
