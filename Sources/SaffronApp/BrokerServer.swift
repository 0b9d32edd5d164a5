import Broker
import HTTPAPI
import Hummingbird
import Logging
import ServiceLifecycle
import Store
import UnixSignals

/// `saffron serve`: restores forwarding from the store, then runs what the node's roles say (the WebSocket gateway,
/// the CONNECT proxy when configured, the HTTP API), its share of pool upkeep, desktop presence, a sweeper of expired
/// login tokens and, on a shared database, the session changes of other brokers, until SIGTERM or SIGINT.
public struct BrokerServer: Sendable {
    let components: Components
    let logger: Logger

    public init(components: Components, logger: Logger = Logger(label: "saffron")) {
        self.components = components
        self.logger = logger
    }

    /// Runs until a termination signal, shutting down gracefully.
    public func run() async throws {
        let values = try components.config.validated()
        let openFiles = OpenFilesLimit.raiseToHardLimit()
        let limits = try components.config.httpConnectionLimits(openFiles: openFiles)
        logger.info(
            "open files limit",
            metadata: ["descriptors": "\(openFiles.map(String.init) ?? "unknown")", "httpMaxConnections": "\(limits.maxConnections)"])
        try await components.store.prepare()
        logger.info("database ready", metadata: ["database": "\(components.config.databaseDescription)"])
        try await components.broker.restoreForwarding()
        try await components.broker.resumePendingResets()
        let config = components.config
        let router = APIRouter.build(
            broker: components.broker, accounts: components.accounts, gatewayURL: config.websocket.publicURL,
            webFiles: WebFiles(root: config.web.root, spiceHTML5: config.web.spiceHTML5),
            metrics: components.metricsEndpoint(), trustedProxies: values.trustedProxies,
            publicURL: try config.publicBaseURL(), logger: logger)
        let app = Application(
            router: router, server: .http1(limits: limits, tls: components.tls?.configuration, logger: logger),
            configuration: .api(host: values.listenHost, port: values.listenPort, limits: limits, logger: logger),
            logger: logger)
        let roles = components.broker.settings.roles
        logger.info("node roles", metadata: ["node": "\(config.nodeName)", "roles": "\(roles.sorted().map(\.rawValue))"])
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if roles.contains(.gateway) { services.append(.init(service: components.gateway)) }
        if roles.contains(.proxy), let proxy = components.proxy { services.append(.init(service: proxy)) }
        if roles.contains(.gateway), let spiceGateway = components.spiceGateway { services.append(.init(service: spiceGateway)) }
        if roles.contains(.api) { services.append(.init(service: app)) }
        if components.store.announcesSessionChanges {
            services.append(.init(service: SessionChangeFollower(broker: components.broker)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services + [
                    .init(service: StoreSweeper(
                        store: components.store, interval: .seconds(600), auditRetention: config.auditRetention, logger: logger)),
                    .init(service: PresenceService(broker: components.broker, logger: logger)),
                    .init(service: PoolUpkeepService(broker: components.broker, interval: .seconds(2), logger: logger)),
                    .init(service: NodeReporter(broker: components.broker, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
