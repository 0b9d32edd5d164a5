import Broker
import Store

extension ConsoleRoute {
    /// Through the SPICE gateway, which takes the client's link with a console credential and links the desktop itself.
    public static let gateway = ConsoleRoute(rawValue: "gateway")
}

/// The `gateway` route: console files name the SPICE gateway's public TLS endpoint and carry a console credential,
/// which opens the session's desktop for as long as it and the session live; the desktop's own ticket never leaves the
/// broker. It keeps no state of its own: the gateway's connections of an ended session are cut through the session
/// observers.
public struct GatewayAccess: AccessPath {
    /// The gateway as clients reach it, and what they trust; nil when this broker runs no SPICE gateway.
    public struct Endpoint: Sendable {
        public var host: String
        public var port: Int
        public var tls: SpiceTLSSettings
        /// The CONNECT proxy console files name too, for clients that reach the gateway only through it.
        public var proxyURL: String?

        public init(host: String, port: Int, tls: SpiceTLSSettings, proxyURL: String? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
            self.proxyURL = proxyURL
        }
    }

    let endpoint: Endpoint?

    public init(endpoint: Endpoint?) {
        self.endpoint = endpoint
    }

    public var route: ConsoleRoute { .gateway }
    public var summary: String { endpoint.map { "SPICE gateway at \($0.host):\($0.port)" } ?? "no SPICE gateway" }

    public func checkAvailable() throws {
        guard endpoint == nil else { return }
        throw BrokerError.badRequest(
            "This broker runs no SPICE gateway: set spiceGateway.listen in the configuration before routing a pool through it.")
    }

    public func consoleEndpoint(of session: SessionRecord) throws -> ConsoleEndpoint {
        guard let endpoint else {
            throw BrokerError(.routeUnavailable, "This broker runs no SPICE gateway; ask for a direct console file, or ask an admin to set `spiceGateway.listen` in the configuration.")
        }
        guard session.targetAddress != nil, session.targetPort != nil else {
            throw BrokerError.vmNotReady("The desktop of session \(session.id) is still starting; try again in a moment.")
        }
        return ConsoleEndpoint(host: endpoint.host, port: endpoint.port, proxy: endpoint.proxyURL, gatewayTLS: endpoint.tls)
    }
}
