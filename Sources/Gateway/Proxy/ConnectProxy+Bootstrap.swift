import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

extension ConnectProxy {
    /// Runs the handshake of an accepted socket on NIO, keeping a duplicate descriptor for the handoff to `relays`.
    /// Called on the accept thread.
    func accepted(_ descriptor: CInt, relays: SpliceRelays) {
        let kept = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard kept >= 0 else {
            close(descriptor)
            return self.logger.error("accepted connection dropped: no descriptor left to duplicate it")
        }
        let loop = self.group.next()
        let id = self.relayIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let connection = ProxyConnection(
            id: id, keptDescriptor: kept, relays: relays, metrics: self.metrics, eventLoop: loop)
        let (settings, authorizer, registry, limiter, logger) =
            (self.settings, self.authorizer, self.registry, self.limiter, self.logger)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try ProxyPipeline.configure(
                        channel, connection: connection, settings: settings, authorizer: authorizer,
                        registry: registry, limiter: limiter, logger: logger)
                }
            }
            .withConnectedSocket(descriptor)
            .whenFailure { _ in connection.handshakeEnded() }
    }
}

/// The handlers of one accepted connection until its socket is handed to the splice relays.
enum ProxyPipeline {
    static let decoderName = "proxy.http-decoder"
    static let encoderName = "proxy.http-encoder"
    static let handshakeTimeoutName = "proxy.handshake-timeout"

    static func configure(
        _ channel: any Channel, connection: ProxyConnection, settings: TunnelSettings, authorizer: any TunnelAuthorizer,
        registry: ConnectionRegistry, limiter: ClientConnectionLimiter, logger: Logger
    ) throws {
        let client = channel.remoteAddress?.ipAddress ?? "unknown"
        connection.attach(channel)
        channel.closeFuture.whenComplete { _ in connection.handshakeEnded() }
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(
            HandshakeTimeoutHandler(deadline: channel.eventLoop.now + settings.handshakeTimeout), name: handshakeTimeoutName)
        try sync.addHandler(HTTPResponseEncoder(), name: encoderName)
        try sync.addHandler(
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: decoderName)

        guard let id = registry.add(closeFuture: connection.ended, terminate: { _ in connection.terminate() }) else {
            try sync.addHandler(RefusingHandler(refusal: .shuttingDown))
            return
        }
        guard limiter.acquire(client) else {
            registry.remove(id)
            logger.notice("tunnel refused", metadata: ["client": "\(client)", "status": "429", "why": "too many connections"])
            try sync.addHandler(RefusingHandler(refusal: .tooManyConnections))
            return
        }
        connection.ended.whenComplete { _ in
            registry.remove(id)
            limiter.release(client)
        }
        try sync.addHandler(
            ConnectRequestHandler(
                clientAddress: client, authorizer: authorizer, connection: connection,
                tunnels: .init(registry: registry, id: id), logger: logger))
    }

    /// Drops the HTTP codec and the handshake deadline once the tunnel is granted; the decoder passes on any bytes
    /// that followed the request.
    static func removeHTTPHandlers(from pipeline: ChannelPipeline.SynchronousOperations) throws {
        for name in [encoderName, decoderName, handshakeTimeoutName] {
            pipeline.removeHandler(context: try pipeline.context(name: name), promise: nil)
        }
    }
}
