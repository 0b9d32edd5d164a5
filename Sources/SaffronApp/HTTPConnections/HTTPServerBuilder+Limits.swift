import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

extension HTTPServerBuilder {
    /// HTTP/1.1, or HTTPS with `tls`, under `limits`: each connection's client share counted first, the request
    /// deadline after the HTTP decoder, and Hummingbird's idle timeout between kept-alive requests.
    static func http1(limits: HTTPConnectionLimits, tls: TLSConfiguration?, logger: Logger) -> HTTPServerBuilder {
        let shares = ClientConnectionShares(perClient: limits.connectionsPerClient, trusted: limits.trustedProxies)
        let configuration = HTTP1Channel.Configuration(
            additionalChannelHandlers: [RequestDeadlineHandler(timeout: limits.requestTimeout, logger: logger)],
            idleTimeout: TimeAmount(limits.idleTimeout))
        return HTTPServerBuilder { responder in
            let http = HTTP1Channel(responder: responder, configuration: configuration)
            guard let tls else { return ClientLimitedChannel(base: http, shares: shares) }
            return ClientLimitedChannel(base: try TLSChannel(http, tlsConfiguration: tls), shares: shares)
        }
    }
}

extension ApplicationConfiguration {
    /// The API's listener: `maxConnections` at once, the rest waiting in the backlog.
    static func api(host: String, port: Int, limits: HTTPConnectionLimits, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: "saffron",
            availableConnectionsDelegate: APIConnectionCap(limits.maxConnections, logger: logger))
    }
}
