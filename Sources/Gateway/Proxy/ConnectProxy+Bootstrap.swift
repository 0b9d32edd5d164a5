import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

extension ConnectProxy {
    /// The listener: an HTTP/1.1 request decoder and a `ConnectRequestHandler` on every accepted connection.
    func makeServerBootstrap() -> ServerBootstrap {
        let settings = self.settings
        let dialer = TunnelDialer(authorizer: self.authorizer, settings: settings)
        let registry = self.registry
        let limiter = self.limiter
        let logger = self.logger
        return ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: Listener.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.writeBufferWaterMark, value: settings.waterMark)
            .childChannelOption(.recvAllocator, value: settings.readAllocator)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try ProxyPipeline.configure(
                        channel, settings: settings, dialer: dialer, registry: registry, limiter: limiter, logger: logger)
                }
            }
    }
}

/// The handlers of one accepted connection until its tunnel is glued.
enum ProxyPipeline {
    static let decoderName = "proxy.http-decoder"
    static let encoderName = "proxy.http-encoder"
    static let handshakeTimeoutName = "proxy.handshake-timeout"

    static func configure(
        _ channel: any Channel, settings: TunnelSettings, dialer: any TunnelDialing, registry: ConnectionRegistry,
        limiter: ClientConnectionLimiter, logger: Logger
    ) throws {
        let client = channel.remoteAddress?.ipAddress ?? "unknown"
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(
            HandshakeTimeoutHandler(deadline: channel.eventLoop.now + settings.handshakeTimeout), name: handshakeTimeoutName)
        try sync.addHandler(HTTPResponseEncoder(), name: encoderName)
        try sync.addHandler(
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: decoderName)

        guard let id = registry.add(closeFuture: channel.closeFuture, terminate: { _ in channel.close(promise: nil) })
        else {
            try sync.addHandler(RefusingHandler(refusal: .shuttingDown))
            return
        }
        guard limiter.acquire(client) else {
            registry.remove(id)
            logger.notice("tunnel refused", metadata: ["client": "\(client)", "status": "429", "why": "too many connections"])
            try sync.addHandler(RefusingHandler(refusal: .tooManyConnections))
            return
        }
        channel.closeFuture.whenComplete { _ in
            registry.remove(id)
            limiter.release(client)
        }
        try sync.addHandler(
            ConnectRequestHandler(
                clientAddress: client, dialer: dialer, tunnels: .init(registry: registry, id: id), settings: settings,
                logger: logger))
    }

    /// Drops the HTTP codec and the handshake deadline once the tunnel is answered.
    static func removeHTTPHandlers(from pipeline: ChannelPipeline.SynchronousOperations) throws {
        for name in [encoderName, decoderName, handshakeTimeoutName] {
            pipeline.removeHandler(context: try pipeline.context(name: name), promise: nil)
        }
    }
}
