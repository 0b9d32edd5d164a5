import Broker
import Hummingbird

/// Serves each request with its client's address known to the audit log, so that admin changes made through the API
/// are recorded with where they came from.
struct AuditAddressMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await AuditLog.$requestAddress.withValue(context.clientAddress) {
            try await next(request, context)
        }
    }
}
