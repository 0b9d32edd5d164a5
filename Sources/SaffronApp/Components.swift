import Broker
import DNATAccess
import DirectoryAuth
import Firewall
import Foundation
import Gateway
import GatewayAccess
import HTTPAPI
import LibvirtHypervisor
import Logging
import PAMAuth
import Prometheus
import ProxyAccess
import Store

/// The broker's parts built from a configuration, shared by `saffron serve` and the admin CLI.
public struct Components: Sendable {
    public let config: SaffronConfig
    public let store: any Store
    public let accounts: Accounts
    public let broker: Broker
    /// The WebSocket gateway of browser consoles; it listens only once run (by `saffron serve`).
    public let gateway: WebSocketGateway
    /// The CONNECT proxy, when the config runs one; it listens only once run.
    public let proxy: ConnectProxy?
    /// The SPICE gateway, when the config runs one; it listens only once run.
    public let spiceGateway: SpiceGateway?
    /// The API's and the gateway's TLS, when the config sets `tls`.
    public let tls: ServerTLS?
    /// Where the broker, the gateway and the proxy keep their metrics, for `GET /metrics`.
    public let metricsRegistry = PrometheusCollectorRegistry()
    /// The swift-metrics factory writing to `metricsRegistry`, handed to every part that counts.
    let metricsFactory: PrometheusMetricsFactory

    /// Opens the store and builds the broker with the configured firewall backend and libvirt, and the gateway
    /// whose tokens it issues.
    public init(config: SaffronConfig, logger: Logger = Logger(label: "saffron")) throws {
        let values = try config.validated()
        self.config = config
        let store = try config.openStore(logger: logger)
        self.store = store
        let metricsFactory = Self.metricsFactory(metricsRegistry)
        self.metricsFactory = metricsFactory
        let metrics = BrokerMetrics(factory: metricsFactory)
        let authenticators: [any Authenticator] = config.auth.methods.map { method -> any Authenticator in
            switch method {
            case "pam": PAMAuthenticator(service: config.auth.pamService)
            case "ldap": LDAPAuthenticator(settings: config.ldap.settings)
            default: LocalAuthenticator(store: store, bcryptCost: values.bcryptCost)
            }
        }
        self.accounts = Accounts(
            store: store, bcryptCost: values.bcryptCost, tokenLifetime: values.tokenLifetime, metrics: metrics,
            authenticators: authenticators)
        let tokens = SessionTokens.webConsole(store: store)
        let tls = try values.tls.map { try ServerTLS(certificate: $0.certificate, key: $0.key) }
        self.tls = tls
        var gatewayConfiguration = GatewayConfiguration(host: values.webSocketHost, port: values.webSocketPort)
        gatewayConfiguration.tls = tls?.context
        gatewayConfiguration.connectionsPerClient = config.websocket.connectionsPerClient
        gatewayConfiguration.client = { [trusted = values.trustedProxies] address in
            trusted.contains { $0.contains(address) } ? nil : ClientNetwork.key(for: address)
        }
        let consoleCredentials = SessionTokens.consoleCredentials(
            store: store, lifetime: values.spiceGateway?.credentialLifetime ?? 8 * 3600)
        let brokerForGateway = LateBroker()
        let spiceGateway = try values.spiceGateway.map { spice in
            try Self.spiceGateway(
                spice, trustedProxies: values.trustedProxies,
                resolver: BrokerSpiceConsoleResolver(broker: brokerForGateway), logger: logger, metrics: metricsFactory)
        }
        self.spiceGateway = spiceGateway
        var resolver = BrokerTokenResolver(tokens: tokens, allowedOrigins: Set(config.websocket.allowedOrigins))
        resolver.credentials = spiceGateway.map { (consoleCredentials, $0) }
        let gateway = WebSocketGateway(configuration: gatewayConfiguration, resolver: resolver, logger: logger, metrics: metricsFactory)
        self.gateway = gateway
        var settings = BrokerSettings(
            publicAddress: config.gateway.publicAddress, portRange: values.portRange, ticketValidity: values.ticketValidity,
            spiceTLS: values.spiceTLS, connectURIs: try config.connectURIPolicy(),
            nodeName: config.nodeName, roles: try config.nodeRoles())
        settings.browserConsolesThroughGateway = spiceGateway != nil
        let gatewayForProxy = values.spiceGateway.map { spice in
            TunnelPolicy.SpiceGateway(
                route: .gateway, throughProxy: spice.proxyURL.map { _ in (spice.publicHost, spice.publicPort) })
        }
        let proxy = values.proxy.map { proxyValues in
            var configuration = ProxyConfiguration(host: proxyValues.host, port: proxyValues.port)
            configuration.connectionsPerClient = proxyValues.connectionsPerClient
            configuration.idleTimeout = proxyValues.idleTimeout
            configuration.grantLifetime = proxyValues.grantLifetime
            if let through = gatewayForProxy?.throughProxy {
                configuration.clientNamingTargets = [ConnectTarget(host: through.host, port: through.port)]
            }
            return ConnectProxy(
                configuration: configuration,
                authorizer: BrokerTunnelAuthorizer(
                    policy: TunnelPolicy(store: store, settings: settings, spiceGateway: gatewayForProxy)),
                logger: logger, metrics: metricsFactory)
        }
        self.proxy = proxy
        var observers: [any SessionObserver] = [GatewaySessionCutter(gateway: gateway)]
        if let proxy { observers.append(ProxySessionCutter(proxy: proxy)) }
        if let spiceGateway { observers.append(SpiceGatewaySessionCutter(gateway: spiceGateway)) }
        self.broker = Broker(
            store: store, hypervisor: LibvirtHypervisor(policy: settings.connectURIs, logger: logger),
            accessPaths: [
                DNATAccess(forwarder: Self.forwarder(for: config.firewall, logger: logger), settings: settings, metrics: metrics),
                ProxyAccess(proxyURL: values.proxy?.publicURL, settings: settings),
                GatewayAccess(
                    endpoint: values.spiceGateway.map {
                        .init(host: $0.publicHost, port: $0.publicPort, tls: $0.tls, proxyURL: $0.proxyURL)
                    }),
            ],
            settings: settings,
            webConsoleTokens: tokens, consoleCredentials: consoleCredentials, sessionObservers: observers, metrics: metrics,
            logger: logger)
        brokerForGateway.set(broker)
    }

    /// The SPICE gateway of the validated `values`, TLS with its certificate and key.
    static func spiceGateway(
        _ values: ValidatedConfig.SpiceGatewayValues, trustedProxies: [AddressRange], resolver: any SpiceConsoleResolver,
        logger: Logger, metrics: PrometheusMetricsFactory
    ) throws -> SpiceGateway {
        var configuration = SpiceGatewayConfiguration(host: values.host, port: values.port)
        configuration.tls = try ServerTLS(
            certificate: values.certificate, key: values.key, keys: ("spiceGateway.certificate", "spiceGateway.key")).context
        configuration.secondViewer = SpiceSecondViewer(rawValue: values.secondViewer) ?? .replace
        configuration.connectionsPerClient = values.connectionsPerClient
        configuration.servesRelays = true  // for browser consoles through the WebSocket gateway
        configuration.client = { address in
            trustedProxies.contains { $0.contains(address) } ? nil : ClientNetwork.key(for: address)
        }
        return SpiceGateway(configuration: configuration, resolver: resolver, logger: logger, metrics: metrics)
    }

    static func forwarder(for config: SaffronConfig.Firewall, logger: Logger) -> any PortForwarder {
        switch config.backend {
        case "none": NoForwarder()
        case "nftables": NftablesForwarder(table: config.table, masquerade: config.masquerade, logger: logger)
        default: IptablesForwarder(chain: config.chain, masquerade: config.masquerade, logger: logger)
        }
    }
}

extension Components {
    /// The API's operations run in this process as the host's administrator, for `saffron` commands without `--server`.
    public func hostAdminAPI() throws -> HostAdminAPI {
        HostAdminAPI(
            broker: broker, accounts: accounts, gatewayURL: config.websocket.publicURL, publicURL: try config.publicBaseURL())
    }
}
