import Broker
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a generated handler knows of its request besides its documented input: who asks (from the bearer token),
/// from where, and the request's head (`User-Agent` picks a console file's client, `Host` a phone link's base).
///
/// swift-openapi-hummingbird hands handlers only the documented input, not Hummingbird's request context, so
/// `RequestScopeMiddleware` puts the context here for the handler's task.
enum RequestScope {
    struct Current: Sendable {
        var context: SaffronRequestContext
        var head: HTTPRequest
        /// The body as sent, for the operations that must tell a field left out from one sent as `null`.
        var body: ByteBuffer?
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

    /// The body as sent, as JSON data (empty for none).
    static var body: Data { current?.body.map { Data($0.readableBytesView) } ?? Data() }

    /// The authority (`Host`) the request was sent to.
    static var authority: String? { current?.head.authority }
}

/// Runs the rest of the request inside `RequestScope`. Added to the router before the generated handlers are
/// registered, so that every one of them runs inside it.
struct RequestScopeMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        // Bodies are small JSON documents (`maxUploadSize`); the collected body stays readable for the handler.
        let body = request.method == .get || request.method == .delete ? nil : try await request.collectBody(upTo: context.maxUploadSize)
        return try await RequestScope.$current.withValue(RequestScope.Current(context: context, head: request.head, body: body)) {
            try await next(request, context)
        }
    }
}
