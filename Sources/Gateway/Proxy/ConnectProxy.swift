import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The HTTP CONNECT proxy as a swift-service-lifecycle `Service`: one public port through which SPICE clients reach
/// their desktops, for networks where a port per session is not wanted (like Proxmox's spiceproxy).
///
/// A client's `.vv` names its desktop's SPICE endpoint and `proxy=http://HOST:PORT`; the client sends
/// `CONNECT ADDRESS:PORT`, the authorizer checks that a live session of that client address has exactly that endpoint,
/// and the proxy relays bytes both ways until either side closes, the tunnel idles out or the session ends.
///
/// NIO reads and answers each request; a granted tunnel's bytes move with splice(2) on `SpliceRelays`, never
/// entering user space.
public final class ConnectProxy: Service, Sendable {
    let configuration: ProxyConfiguration
    let settings: TunnelSettings
    let authorizer: any TunnelAuthorizer
    let logger: Logger
    let listener: Listener
    let limiter: ClientConnectionLimiter
    let metrics: RelayMetrics
    let group: MultiThreadedEventLoopGroup = .singleton
    /// Ids for relays, unique for the proxy's life.
    let relayIDs = Atomic<Int>(0)
    var registry: ConnectionRegistry { self.listener.registry }

    /// Creates a proxy; nothing is bound until `run()`. Relayed bytes are counted with `metrics`.
    public init(
        configuration: ProxyConfiguration, authorizer: any TunnelAuthorizer, logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.metrics = RelayMetrics(gateway: "proxy", factory: metrics)
        self.configuration = configuration
        self.settings = TunnelSettings(configuration)
        self.authorizer = authorizer
        self.logger = logger
        self.listener = Listener(name: "CONNECT proxy", host: configuration.host, port: configuration.port, logger: logger)
        self.limiter = ClientConnectionLimiter(limit: configuration.connectionsPerClient)
    }

    /// Binds the listener and serves until graceful shutdown or cancellation, then closes every tunnel and returns
    /// once they are closed.
    public func run() async throws {
        let relays = try SpliceRelays(self.settings.relayOptions)
        defer { relays.stop() }  // after the listener closed every tunnel
        try await self.listener.serve(accepting: { self.accepted($0, relays: relays) }, closingWith: .goingAway)
    }

    /// The bound port once listening (useful with port 0), awaiting until bound; throws if binding failed.
    public func boundPort() async throws -> Int {
        try await self.listener.boundPort()
    }

    /// Closes every tunnel of the session and returns once they are closed.
    ///
    /// - Returns: how many tunnels were closed.
    @discardableResult
    public func closeTunnels(ofSession sessionID: String) async -> Int {
        await self.listener.closeConnections(ofSession: sessionID, with: .sessionEnded())
    }

    /// Tunnels open right now (authorized and not yet closed), for status pages and metrics.
    public func liveTunnelCount() async -> Int {
        self.registry.liveCount
    }
}
