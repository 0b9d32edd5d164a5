import Broker
import Store

extension ConsoleRoute {
    /// Through the CONNECT proxy (`proxy=` in the console file) to the VM's own SPICE endpoint.
    public static let proxy = ConsoleRoute(rawValue: "proxy")
}

/// The `proxy` route: console files name the desktop's own SPICE endpoint and the broker's CONNECT proxy, which
/// opens a tunnel only to a live session's endpoint for its client (see `TunnelPolicy`). It keeps no state of its
/// own: the proxy's tunnels of an ended session are cut through the session observers.
public struct ProxyAccess: AccessPath {
    /// The proxy's URL as clients reach it, e.g. `http://gateway.example:3128`; nil when this broker runs none.
    let proxyURL: String?
    let settings: BrokerSettings

    public init(proxyURL: String?, settings: BrokerSettings) {
        self.proxyURL = proxyURL
        self.settings = settings
    }

    public var route: ConsoleRoute { .proxy }
    public var summary: String { proxyURL.map { "CONNECT proxy at \($0)" } ?? "no CONNECT proxy" }

    public func checkAvailable() throws {
        guard proxyURL == nil else { return }
        throw BrokerError.badRequest(
            "This broker runs no CONNECT proxy: set proxy.listen in the configuration before routing a pool through it.")
    }

    public func consoleEndpoint(of session: SessionRecord) throws -> ConsoleEndpoint {
        guard let proxyURL else {
            throw BrokerError(.proxyDisabled, "This broker runs no CONNECT proxy; ask for a direct console file, or ask an admin to enable `proxy` in the configuration.")
        }
        guard let address = session.targetAddress, let port = Broker.spicePort(of: session, settings: settings) else {
            throw BrokerError.vmNotReady("The desktop of session \(session.id) is still starting; try again in a moment.")
        }
        return ConsoleEndpoint(host: address, port: port, proxy: proxyURL)
    }
}
