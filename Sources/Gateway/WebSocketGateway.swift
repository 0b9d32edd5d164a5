import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The gateway as a swift-service-lifecycle `Service`: binds in `run()`, serves until graceful shutdown (then closes
/// its listener and connections).
///
/// Browsers connect to `ws://HOST:PORT/ws/{token}`; the resolver decides which SPICE endpoint the token reaches and
/// the gateway relays bytes between the WebSocket and a TCP connection to it. NIO runs every handshake; a plain
/// connection is then relayed by the splice engine (`SpliceRelays`), a TLS one on NIO's event loops.
public final class WebSocketGateway: Service, Sendable {
    let configuration: GatewayConfiguration
    let settings: RelaySettings
    let resolver: any GatewayTokenResolver
    let logger: Logger
    let listener: Listener
    let group: MultiThreadedEventLoopGroup = .singleton
    /// Ids for splice relays, unique for the gateway's life.
    let relayIDs = Atomic<Int>(0)
    var registry: ConnectionRegistry { self.listener.registry }

    /// Creates a gateway; nothing is bound until `run()`. Relayed bytes are counted with `metrics`.
    public init(
        configuration: GatewayConfiguration, resolver: any GatewayTokenResolver, logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.configuration = configuration
        var settings = RelaySettings(configuration)
        settings.metrics = RelayMetrics(gateway: "websocket", factory: metrics)
        self.settings = settings
        self.resolver = resolver
        self.logger = logger
        self.listener = Listener(
            name: "WebSocket gateway", host: configuration.host, port: configuration.port,
            maxConnections: configuration.maxConnections, connectionsPerClient: configuration.connectionsPerClient,
            client: configuration.client, logger: logger)
    }

    /// Binds the listener and serves until graceful shutdown or cancellation, then closes every connection
    /// (1001 "going away") and returns once they are closed.
    public func run() async throws {
        guard self.settings.tls == nil, self.configuration.splicesPlainConnections else {
            return try await self.listener.serve(self.makeServerBootstrap(), closingWith: .goingAway)
        }
        let relays = try SpliceRelays(self.settings.spliceOptions)
        defer { relays.stop() }  // after the listener closed every connection
        try await self.listener.serve(accepting: { self.accepted($0, relays: relays) }, closingWith: .goingAway)
    }

    /// The bound port once listening (useful with port 0), awaiting until bound; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.listener.boundPort()
    }

    /// Closes every live connection of the session with close code 4410 "session ended", and returns once they
    /// are closed (the browser answered the Close, or the relay's close grace passed), so whatever the caller does
    /// next to the desktop, the browser has already been told why.
    ///
    /// - Returns: how many connections were asked to close.
    @discardableResult
    public func closeConnections(ofSession sessionID: String) async -> Int {
        await self.listener.closeConnections(ofSession: sessionID, with: .sessionEnded())
    }

    /// Live connections right now (redeemed and not yet closed), for status pages and metrics.
    public func liveConnectionCount() async -> Int {
        self.registry.liveCount
    }
}
