import CoreMetrics
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP CONNECT proxy as a swift-service-lifecycle `Service`: one public port through which SPICE clients reach
/// their desktops, for networks where a port per session is not wanted (like Proxmox's spiceproxy).
///
/// A client's `.vv` names its desktop's SPICE endpoint and `proxy=http://HOST:PORT`; the client sends
/// `CONNECT ADDRESS:PORT`, the authorizer checks that a live session of that client address has exactly that endpoint,
/// and the proxy relays bytes both ways until either side closes, the tunnel idles out or the session ends.
///
/// The splice relays (`CSplice`) accept and read each request on their worker threads; `TunnelDesk` decides it, at
/// once for a client and endpoint the authorizer granted before (until that session ends or moves), else by asking
/// the authorizer. A granted tunnel's bytes move with splice(2), never entering user space.
public final class ConnectProxy: Service, Sendable {
    let settings: TunnelSettings
    let logger: Logger
    let listener: Listener
    let desk: TunnelDesk

    /// Creates a proxy; nothing is bound until `run()`. Relayed bytes are counted with `metrics`.
    public init(
        configuration: ProxyConfiguration, authorizer: any TunnelAuthorizer, logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.settings = TunnelSettings(configuration)
        self.logger = logger
        self.listener = Listener(name: "CONNECT proxy", host: configuration.host, port: configuration.port, logger: logger)
        self.desk = TunnelDesk(
            authorizer: authorizer, connectionsPerClient: configuration.connectionsPerClient,
            maxConnections: configuration.maxConnections, grantLifetime: configuration.grantLifetime,
            clientNamingTargets: configuration.clientNamingTargets, metrics: RelayMetrics(gateway: "proxy", factory: metrics),
            logger: logger)
    }

    /// Binds the listener and serves until graceful shutdown or cancellation, then closes every tunnel and returns
    /// once they are closed.
    public func run() async throws {
        let relays = try SpliceRelays(self.settings.relayOptions, desk: self.desk)
        self.desk.attach(relays)
        defer {  // after the listener closed every tunnel
            self.desk.attach(nil)
            relays.stop()
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.desk.askQuestions() }
            defer { self.desk.stopAsking() }  // the group then waits for the answers in flight
            try await self.listener.serve(
                startingWith: { try relays.listen(on: $0.descriptor) }, stoppingWith: { _ in relays.stopListening() }
            ) {
                let closed = await self.desk.closeAll()
                self.logger.info("CONNECT proxy stopped", metadata: ["tunnels": "\(closed)"])
            }
        }
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
        await self.desk.closeTunnels(ofSession: sessionID)
    }

    /// Forgets the grants of a session whose client moved to another address, so its old address is asked about
    /// again (and refused); its open tunnels stay.
    public func forgetGrants(ofSession sessionID: String) {
        self.desk.forgetGrants(ofSession: sessionID)
    }

    /// Tunnels open right now (authorized and not yet closed), for status pages and metrics.
    public func liveTunnelCount() async -> Int {
        self.desk.tunnelCount
    }
}
