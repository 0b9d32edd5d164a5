import Broker
import DNATAccess
import Firewall
import GatewayAccess
import Logging
import ProxyAccess
import Store

extension Broker {
    /// A broker with the access paths the real wiring registers: DNAT over `forwarder`, the CONNECT proxy at
    /// `proxyURL` and the SPICE gateway at `spiceGateway` (none when nil).
    public init(
        store: any Store, hypervisor: any Hypervisor, forwarder: any PortForwarder, settings: BrokerSettings,
        proxyURL: String? = nil, spiceGateway: GatewayAccess.Endpoint? = nil, webConsoleTokens: SessionTokens? = nil, sessionObservers: [any SessionObserver] = [],
        presence: PresenceTracker = PresenceTracker(), upkeep: UpkeepState = UpkeepState(),
        metrics: BrokerMetrics = BrokerMetrics(), logger: Logger = Logger(label: "saffron.broker")
    ) {
        self.init(
            store: store, hypervisor: hypervisor,
            accessPaths: [
                DNATAccess(forwarder: forwarder, settings: settings, metrics: metrics),
                ProxyAccess(proxyURL: proxyURL, settings: settings),
                GatewayAccess(endpoint: spiceGateway),
            ],
            settings: settings, webConsoleTokens: webConsoleTokens, sessionObservers: sessionObservers, presence: presence,
            upkeep: upkeep, metrics: metrics, logger: logger)
    }
}
