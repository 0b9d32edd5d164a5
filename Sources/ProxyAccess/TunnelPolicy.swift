import Broker
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
