import Broker
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import SaffronAPI

/// Builds the router of the HTTP API under `/api/v1`.
public enum APIRouter {
    /// All routes, with JSON errors everywhere and bearer authentication on everything but login and static files.
    /// - Parameters:
    ///   - gatewayURL: the WebSocket gateway's base URL as browsers reach it, e.g. `ws://127.0.0.1:8081`.
    ///   - webFiles: the portal and HTML5 client to serve; nil serves the API only.
    ///   - metrics: `GET /metrics` for Prometheus; nil serves none.
    ///   - trustedProxies: reverse proxies whose `X-Forwarded-For` names the client (see `TrustedProxyMiddleware`).
    ///   - publicURL: where phone links point.
    public static func build(
        broker: Broker, accounts: Accounts, gatewayURL: String = "ws://127.0.0.1:8081", webFiles: WebFiles? = nil,
        metrics: MetricsEndpoint? = nil, trustedProxies: [AddressRange] = [], publicURL: PublicBaseURL = PublicBaseURL(),
        logger: Logger = Logger(label: "saffron.http")
    ) -> Router<SaffronRequestContext> {
        let router = Router(context: SaffronRequestContext.self)
        // Outermost, so that every answer carries the headers, errors included.
        router.add(middleware: SecurityHeadersMiddleware(gatewayURL: gatewayURL))
        router.add(middleware: ErrorMiddleware())
        if !trustedProxies.isEmpty { router.add(middleware: TrustedProxyMiddleware(trusted: trustedProxies)) }
        router.add(middleware: AuditAddressMiddleware())
        router.add(middleware: BearerIdentityMiddleware(accounts: accounts))
        router.add(middleware: OperationAccessMiddleware())
        router.add(middleware: UploadLimitMiddleware())
        router.add(middleware: RequestScopeMiddleware())
        // The portal's and the HTML5 client's files are Hummingbird routes: the document describes the API, not them.
        webFiles?.register(on: router, logger: logger)
        let handler = APIHandler(broker: broker, accounts: accounts, gatewayURL: gatewayURL, publicURL: publicURL, metrics: metrics)
        do {
            try handler.registerHandlers(on: router, serverURL: URL(string: "/")!)
        } catch {
            preconditionFailure("the API's routes could not be registered: \(error)")  // only a malformed server URL throws
        }
        return router
    }
}
