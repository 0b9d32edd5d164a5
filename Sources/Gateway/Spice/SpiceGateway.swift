import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SpiceLink

/// The SPICE gateway as a swift-service-lifecycle `Service`: one public port (TLS) through which SPICE clients reach
/// their desktops with a console credential instead of the desktop's ticket.
///
/// Every channel connection's link is taken by the gateway itself: the client encrypts its ticket with the gateway's
/// key, the ticket is a console credential the broker looks up (its session, its client address), and the gateway
/// links the desktop with a ticket the broker sets on it right then. A console file therefore works for as long as its
/// credential and session live, and the desktop's password never reaches a client. A credential opens one viewer's
/// channels at a time (see `SpiceViewerBook`); ending its session closes them.
public final class SpiceGateway: Service, Sendable {
    let configuration: SpiceGatewayConfiguration
    let services: SpiceLinkServices
    let listener: Listener
    /// The plain loopback listener for the broker's WebSocket gateway, when it serves one.
    let relayListener: Listener?

    /// Creates a gateway; nothing is bound until `run()`. Relayed bytes are counted with `metrics`.
    public init(
        configuration: SpiceGatewayConfiguration, resolver: any SpiceConsoleResolver, keys: SpiceTicketKeyPool = SpiceTicketKeyPool(),
        logger: Logger, metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.configuration = configuration
        let listener = Listener(
            name: "SPICE gateway", host: configuration.host, port: configuration.port,
            maxConnections: configuration.maxConnections, connectionsPerClient: configuration.connectionsPerClient,
            client: configuration.client, logger: logger)
        self.listener = listener
        let relayListener = configuration.servesRelays
            ? Listener(name: "SPICE gateway (relays)", host: "127.0.0.1", port: 0, registry: listener.registry, logger: logger) : nil
        self.relayListener = relayListener
        self.services = SpiceLinkServices(
            resolver: resolver, keys: keys, book: SpiceViewerBook(secondViewer: configuration.secondViewer),
            registry: listener.registry, linkTimeout: TimeAmount(configuration.linkTimeout),
            connectTimeout: TimeAmount(configuration.connectTimeout),
            waterMark: ChannelBuffers.waterMark(limit: configuration.bufferLimit),
            metrics: RelayMetrics(gateway: "spice", factory: metrics), logger: logger)
    }

    /// Binds the listener and serves until graceful shutdown or cancellation, then closes every connection and
    /// returns once they are closed.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.listener.serve(self.makeServerBootstrap(tls: self.configuration.tls, listener: self.listener), closingWith: .goingAway) }
            if let relayListener = self.relayListener {
                group.addTask { try await relayListener.serve(self.makeServerBootstrap(tls: nil, listener: relayListener), closingWith: .goingAway) }
            }
        }
    }

    /// The plain loopback port of the relay listener once listening; throws when it serves none or binding failed.
    public func relayPort() async throws -> Int {
        guard let relayListener else { throw SpiceConsoleRefusal("this SPICE gateway serves no relays") }
        return try await relayListener.boundPort()
    }

    /// The bound port once listening (useful with port 0), awaiting until bound; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await listener.boundPort()
    }

    /// Closes every connection of the session and returns once they are closed.
    ///
    /// - Returns: how many connections were closed.
    @discardableResult
    public func closeConnections(ofSession sessionID: String) async -> Int {
        services.book.forget(session: sessionID)
        return await listener.closeConnections(ofSession: sessionID, with: .sessionEnded())  // both listeners'
    }

    /// Connections whose credential was accepted and that are still open.
    public func liveConnectionCount() async -> Int {
        listener.registry.liveCount
    }

    private func makeServerBootstrap(tls: NIOSSLContext?, listener: Listener) -> ServerBootstrap {
        let services = self.services
        return ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: Listener.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: services.waterMark)
            .childChannelInitializer { channel in
                guard let slot = listener.admit(peer: channel.remoteAddress?.ipAddress.map(GatewayConfiguration.plainIPv4))
                else { return channel.eventLoop.makeFailedFuture(ConnectionGate.Full()) }
                channel.closeFuture.whenComplete { _ in withExtendedLifetime(slot) {} }
                return channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // A connection from this host is one of the broker's relays, which names its client first.
                    if ClientPrefaceHandler.isLocal(peer: channel.remoteAddress, local: channel.localAddress) {
                        try sync.addHandler(ClientPrefaceHandler())
                    }
                    if let tls { try sync.addHandler(NIOSSLServerHandler(context: tls)) }
                    try sync.addHandler(SpiceClientLinkHandler(services: services))
                }
            }
    }
}
