import Broker
import Hummingbird

/// Builds the router of the HTTP API under `/api/v1`.
public enum APIRouter {
    /// All routes, with JSON errors everywhere and bearer authentication on everything but login.
    public static func build(broker: Broker, accounts: Accounts) -> Router<SaffronRequestContext> {
        let router = Router(context: SaffronRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        let api = router.group("api/v1")
        let authenticated = api.group().add(middleware: BearerAuthMiddleware(accounts: accounts))
        LoginRoutes(accounts: accounts).register(public: api, authenticated: authenticated)
        DesktopRoutes(broker: broker).register(on: authenticated)
        return router
    }
}
