import Broker
import HTTPTypes
import Hummingbird

/// What a generated handler knows of its request besides its documented input: who asks (from the bearer token),
/// from where, and the request's head (`User-Agent` picks a console file's client, `Host` a phone link's base).
///
/// swift-openapi-hummingbird hands handlers only the documented input, not Hummingbird's request context, so
/// `RequestScopeMiddleware` puts the context here for the handler's task.
enum RequestScope {
    struct Current: Sendable {
        var context: SaffronRequestContext
        var head: HTTPRequest
    }

    @TaskLocal static var current: Current?

    /// The request's context; a handler always runs inside `RequestScopeMiddleware`.
    static var context: SaffronRequestContext {
        get throws {
            guard let current else { throw BrokerError.internalError }
            return current.context
        }
    }

    /// The request's header fields.
    static var headers: HTTPFields { current?.head.headerFields ?? HTTPFields() }

    /// The authority (`Host`) the request was sent to.
    static var authority: String? { current?.head.authority }
}

/// Runs the rest of the request inside `RequestScope`. Added to the router before the generated handlers are
/// registered, so that every one of them runs inside it.
struct RequestScopeMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await RequestScope.$current.withValue(RequestScope.Current(context: context, head: request.head)) {
            try await next(request, context)
        }
    }
}
