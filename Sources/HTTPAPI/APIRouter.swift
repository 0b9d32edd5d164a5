import Broker
import Hummingbird
import Logging

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
        webFiles?.register(on: router, logger: logger)
        metrics?.register(on: router)
        let api = router.group("api/v1")
        let authenticated = api.group().add(middleware: BearerAuthMiddleware(accounts: accounts))
        OpenAPIDocument.register(on: api)
        LoginRoutes(accounts: accounts).register(public: api, authenticated: authenticated)
        DesktopRoutes(broker: broker).register(on: authenticated)
        WebConsoleRoutes(broker: broker, gatewayURL: gatewayURL).register(on: authenticated)
        AdminRoutes(broker: broker, accounts: accounts).register(on: authenticated)
        PoolAdminRoutes(broker: broker).register(on: authenticated)
        OperationsRoutes(broker: broker).register(on: authenticated)
        ScreenshotRoutes(broker: broker).register(on: authenticated)
        AuditRoutes(broker: broker).register(on: authenticated)
        IdentityRoutes(broker: broker, accounts: accounts).register(on: authenticated)
        PhoneRoutes(broker: broker, publicURL: publicURL).register(authenticated: authenticated, on: router)
        return router
    }
}
