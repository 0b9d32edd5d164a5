import Broker
import HTTPTypes
import Hummingbird
import Logging
import Store

/// Who calls an operation, as its handler sees them: the user a bearer token named, from which address.
struct Caller: Sendable {
    /// The authenticated user; nil before login.
    var user: UserRecord?
    /// The client's address, for the audit log; nil for this host's own CLI.
    var clientAddress: String?
    /// `http` or `https` as a trusted reverse proxy reported the client's scheme.
    var forwardedScheme: String?
    var logger: Logger

    /// The caller of an HTTP request.
    init(_ context: SaffronRequestContext) {
        self.init(
            user: context.user, clientAddress: context.clientAddress, forwardedScheme: context.forwardedScheme,
            logger: context.logger)
    }

    init(user: UserRecord?, clientAddress: String?, forwardedScheme: String? = nil, logger: Logger) {
        self.user = user
        self.clientAddress = clientAddress
        self.forwardedScheme = forwardedScheme
        self.logger = logger
    }

    /// The authenticated user; operations that need a user ask for it (`OperationAccessMiddleware` does first).
    func requireUser() throws -> UserRecord {
        guard let user else { throw BrokerError.unauthorized }
        return user
    }

    /// The authenticated user, who must be an admin or an auditor (else `403 forbidden`): for reading admin views.
    func requireReader() throws -> UserRecord {
        let user = try requireUser()
        try Broker.requireReader(user)
        return user
    }

    /// The authenticated user, who must be an admin (else `403 forbidden`).
    func requireAdmin() throws -> UserRecord {
        let user = try requireUser()
        try Broker.requireAdmin(user)
        return user
    }
}

/// What a generated handler knows of its call besides its documented input: who asks, and for an HTTP request its
/// head (`User-Agent` picks a console file's client, `Host` a phone link's base).
///
/// swift-openapi-hummingbird hands handlers only the documented input, not Hummingbird's request context, so
/// `RequestScopeMiddleware` puts the caller here for the handler's task; `HostAdminAPI` does for this host's CLI.
enum RequestScope {
    struct Current: Sendable {
        var caller: Caller
        /// The HTTP request's head; nil for a call in this process.
        var head: HTTPRequest?
    }

    @TaskLocal static var current: Current?

    /// Who calls; a handler always runs inside a scope.
    static var caller: Caller {
        get throws {
            guard let current else { throw BrokerError.internalError }
            return current.caller
        }
    }

    /// The request's header fields.
    static var headers: HTTPFields { current?.head?.headerFields ?? HTTPFields() }

    /// The authority (`Host`) the request was sent to.
    static var authority: String? { current?.head?.authority }
}

/// Runs the rest of the request inside `RequestScope`. Added to the router before the generated handlers are
/// registered, so that every one of them runs inside it.
struct RequestScopeMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await RequestScope.$current.withValue(RequestScope.Current(caller: Caller(context), head: request.head)) {
            try await next(request, context)
        }
    }
}
