import Broker
import Store

/// Which live session a CONNECT tunnel belongs to. It needs only the store, so the proxy can be built before the
/// broker whose session ends close its tunnels.
public struct TunnelPolicy: Sendable {
    /// The SPICE gateway's route, whose sessions' desktops are reached only through the gateway, and its public
    /// endpoint when its console files send clients through the proxy.
    public struct SpiceGateway: Sendable {
        public var route: ConsoleRoute
        public var throughProxy: (host: String, port: Int)?

        public init(route: ConsoleRoute, throughProxy: (host: String, port: Int)?) {
            self.route = route
            self.throughProxy = throughProxy
        }
    }

    let store: any Store
    let settings: BrokerSettings
    let spiceGateway: SpiceGateway?

    /// A policy over `store`'s sessions; `settings` tell whether a session's clients use its VM's TLS port, and
    /// `spiceGateway` the SPICE gateway's route and, when its console files go through the proxy, one more endpoint
    /// the proxy may open.
    public init(store: any Store, settings: BrokerSettings, spiceGateway: SpiceGateway? = nil) {
        self.store = store
        self.settings = settings
        self.spiceGateway = spiceGateway
    }

    /// The session a tunnel from `clientAddress` to the SPICE endpoint `address:port` belongs to, or nil.
    ///
    /// Only an exact match opens a tunnel: a ready session whose VM listens on exactly this endpoint and that is
    /// pinned to exactly this client address. The endpoint is the one its console files name: the VM's TLS port
    /// under SPICE TLS, else its plain port. Everything else (other sessions' endpoints, the broker's own ports,
    /// loopback, addresses outside the pools, other clients, ended sessions, sessions of the SPICE gateway's route)
    /// matches nothing. The SPICE gateway's endpoint matches a ready session of its route pinned to this client (the
    /// gateway then checks the credential).
    public func session(from clientAddress: String, toAddress address: String, port: Int) async throws -> SessionRecord? {
        if let gateway = spiceGateway, let endpoint = gateway.throughProxy, endpoint.host == address, endpoint.port == port {
            return try await store.sessions().first {
                $0.state == .ready && $0.clientAddress == clientAddress && $0.route == gateway.route
            }
        }
        return try await store.sessions(targetAddress: address, targetPort: port).first {
            $0.state == .ready && $0.clientAddress == clientAddress && Broker.spicePort(of: $0, settings: settings) == port
                && $0.route != spiceGateway?.route
        }
    }
}
