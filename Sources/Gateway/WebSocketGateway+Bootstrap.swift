import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

extension WebSocketGateway {
    /// The listener: HTTP/1.1 with a WebSocket upgrader on every accepted connection.
    func makeServerBootstrap() -> ServerBootstrap {
        let settings = self.settings
        let dialer = TargetDialer(resolver: self.resolver, settings: settings)
        let registry = self.registry
        let logger = self.logger
        let listener = self.listener
        return ServerBootstrap(group: self.group)
            .serverChannelOption(.backlog, value: Listener.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: settings.waterMark)
            .childChannelInitializer { channel in
                // Beyond the gateway's most connections or its client's share, a failed initializer has NIO close the
                // new one at once.
                guard let slot = listener.admit(peer: channel.remoteAddress?.ipAddress.map(GatewayConfiguration.plainIPv4)) else { return channel.eventLoop.makeFailedFuture(ConnectionGate.Full()) }
                channel.closeFuture.whenComplete { _ in withExtendedLifetime(slot) {} }
                return channel.eventLoop.makeCompletedFuture {
                    try GatewayPipeline.configure(
                        channel, settings: settings, dialer: dialer, registry: registry, logger: logger
                    )
                }
            }
    }
}

/// The handlers of one accepted connection, before and after the upgrade.
enum GatewayPipeline {
    static let handshakeTimeoutName = "gateway.handshake-timeout"
    static let refusalName = "gateway.http-refusal"

    static func configure(
        _ channel: any Channel, settings: RelaySettings, dialer: any TargetDialing, registry: ConnectionRegistry,
        logger: Logger
    ) throws {
        let deadline = channel.eventLoop.now + settings.handshakeTimeout
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: settings.maxFrameSize,
            automaticErrorHandling: false,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeSucceededFuture(UpgradeHandling.responseHeaders(for: head))
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    let request = WebSocketRelayHandler.Request(
                        token: UpgradeHandling.token(fromURI: head.uri) ?? "",
                        origin: head.headers.first(name: "Origin"),
                        peer: channel.remoteAddress?.description ?? "unknown"
                    )
                    let relay = WebSocketRelayHandler(
                        settings: settings, request: request, dialer: dialer, registry: registry,
                        handshakeDeadline: deadline, logger: logger
                    )
                    try channel.pipeline.syncOperations.addHandler(relay)
                }
            }
        )
        let sync = channel.pipeline.syncOperations
        if let tls = settings.tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
        try sync.addHandler(HandshakeTimeoutHandler(deadline: deadline), name: Self.handshakeTimeoutName)
        try sync.configureHTTPServerPipeline(
            withServerUpgrade: (
                upgraders: [upgrader],
                completionHandler: { context in
                    let pipeline = context.pipeline.syncOperations
                    for name in [Self.handshakeTimeoutName, Self.refusalName] {
                        if let handler = try? pipeline.context(name: name) {
                            pipeline.removeHandler(context: handler, promise: nil)
                        }
                    }
                }
            ),
            withErrorHandling: true
        )
        try sync.addHandler(HTTPRefusalHandler(), name: Self.refusalName)
    }
}
