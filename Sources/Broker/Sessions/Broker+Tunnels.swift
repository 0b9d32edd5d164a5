import Store

/// Which live session a CONNECT tunnel belongs to. It needs only the store, so the proxy can be built before the
/// broker whose session ends close its tunnels.
public struct TunnelPolicy: Sendable {
    let store: any Store
    let settings: BrokerSettings

    /// A policy over `store`'s sessions; `settings` tell whether a session's clients use its VM's TLS port.
    public init(store: any Store, settings: BrokerSettings) {
        self.store = store
        self.settings = settings
    }

    /// The session a tunnel from `clientAddress` to the SPICE endpoint `address:port` belongs to, or nil.
    ///
    /// Only an exact match opens a tunnel: a ready session whose VM listens on exactly this endpoint and that is
    /// pinned to exactly this client address. The endpoint is the one its console files name: the VM's TLS port
    /// under SPICE TLS, else its plain port. Everything else (other sessions' endpoints, the broker's own ports,
    /// loopback, addresses outside the pools, other clients, ended sessions) matches nothing.
    public func session(from clientAddress: String, toAddress address: String, port: Int) async throws -> SessionRecord? {
        try await store.sessions(targetAddress: address, targetPort: port).first {
            $0.state == .ready && $0.clientAddress == clientAddress && Broker.spicePort(of: $0, settings: settings) == port
        }
    }
}

extension Broker {
    /// Where a `.vv` of the session points its client for `route`: host, port and the proxy key, if any.
    func consoleEndpoint(of session: SessionRecord, route: ConsoleRoute) throws -> (host: String, port: Int, proxy: String?) {
        switch route {
        case .direct:
            guard session.route == .direct else {
                throw BrokerError(
                    code: "route_unavailable",
                    message: "This desktop is reached through the CONNECT proxy only (its pool forwards no port); ask for its console file without via=direct.",
                    httpStatus: 409)
            }
            return (session.publicAddress ?? settings.publicAddress, session.publicPort, nil)
        case .proxy:
            guard let proxyURL = settings.proxyURL else {
                throw BrokerError(
                    code: "proxy_disabled",
                    message: "This broker runs no CONNECT proxy; ask for a direct console file, or ask an admin to enable `proxy` in the configuration.",
                    httpStatus: 409)
            }
            guard let address = session.targetAddress, let port = Self.spicePort(of: session, settings: settings) else {
                throw BrokerError.vmNotReady("The desktop of session \(session.id) is still starting; try again in a moment.")
            }
            return (address, port, proxyURL)
        }
    }
}
