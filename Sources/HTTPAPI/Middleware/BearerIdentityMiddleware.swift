import Broker
import Hummingbird

/// Identifies the caller from `Authorization: Bearer TOKEN` when the token is valid; the operations that need a user
/// answer 401 without one (`Caller.requireUser`), the public ones (login, the document, metrics,
/// phone links) do not ask.
struct BearerIdentityMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext
    let accounts: Accounts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = BearerToken.of(request) {
            context.user = try await accounts.user(forToken: token)
        }
        return try await next(request, context)
    }
}
