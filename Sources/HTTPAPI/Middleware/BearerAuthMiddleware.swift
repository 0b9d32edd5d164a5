import Broker
import HTTPTypes
import Hummingbird

/// Identifies the caller from `Authorization: Bearer TOKEN`; answers 401 when the token is missing, unknown or expired.
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext
    let accounts: Accounts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(in: request), let user = try await accounts.user(forToken: token) else {
            throw BrokerError.unauthorized
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }

    static func bearerToken(in request: Request) -> String? {
        bearerToken(in: request.headers)
    }

    /// The token of `Authorization: Bearer TOKEN`, if the headers carry one.
    static func bearerToken(in headers: HTTPFields) -> String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }
}
