import HTTPTypes
import Hummingbird

/// Serves the portal's `assets/spice-ticket.js` as `/spice-html5/ticket.js`, and the distro's `ticket.js` as
/// `/spice-html5/ticket-upstream.js` for it to wrap.
///
/// spice-html5 drops the leading zero bytes of the encrypted SPICE ticket, so about one channel link in 256 is
/// refused ("Permission denied" in the console); the portal's module pads the ticket to the key's length. Both are
/// path rewrites in front of the two file middlewares, so the files keep their types, caching and path checks.
struct SpiceTicketModuleSwap: RouterMiddleware {
    typealias Context = SaffronRequestContext

    /// The module spice-html5 imports, relative to itself.
    static let distroPath = "/spice-html5/ticket.js"
    /// Where the distro's module stays reachable for the wrapper.
    static let upstreamPath = "/spice-html5/ticket-upstream.js"
    /// The wrapper, in the portal's folder.
    static let wrapperPath = "/assets/spice-ticket.js"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        switch request.uri.path {
        case Self.distroPath: try await next(Self.rewriting(request, to: Self.wrapperPath), context)
        case Self.upstreamPath: try await next(Self.rewriting(request, to: Self.distroPath), context)
        default: try await next(request, context)
        }
    }

    /// `request` for `path` instead (its query dropped; these modules take none).
    private static func rewriting(_ request: Request, to path: String) -> Request {
        var head = request.head
        head.path = path
        return Request(head: head, body: request.body)
    }
}
