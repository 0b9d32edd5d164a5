import Broker
import ConsoleFile
import Hummingbird
import Logging
import NIOCore
import Store

/// Pools, desktops and sessions of the calling user.
struct DesktopRoutes {
    let broker: Broker

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("pools") { _, context in
            let pools = try await broker.pools(visibleTo: try context.requireUser()).map(PoolPayload.init)
            return JSONResponse.make(status: .ok, ["pools": pools])
        }
        group.post("pools/:pool/desktop") { request, context in
            let user = try context.requireUser()
            let pool = try context.pathParameter("pool")
            guard let client = context.clientAddress else { throw BrokerError.badRequest("The client address is unknown.") }
            // ?another=true: a further desktop although the user has one in the pool; false or absent: their first
            // one there, or a new one if they have none.
            let another = try request.flag("another")
            let handout = try await broker.desktop(inPool: pool, for: user, clientAddress: client, another: another)
            return JSONResponse.make(status: handout.isNew ? .created : .ok, try await payload(handout.session))
        }
        group.get("sessions") { _, context in
            let sessions = try await broker.sessions(visibleTo: try context.requireUser())
            return JSONResponse.make(status: .ok, ["sessions": try await payloads(sessions)])
        }
        group.get("sessions/:id") { _, context in
            let session = try await broker.session(id: try context.pathParameter("id"), visibleTo: try context.requireUser())
            return JSONResponse.make(status: .ok, try await payload(session))
        }
        group.get("sessions/:id/console.vv") { request, context in
            let user = try context.requireUser()
            let id = try context.pathParameter("id")
            let profile = try Self.clientProfile(request)
            let route = Self.route(request)
            let file = try await broker.consoleFile(forSession: id, user: user, route: route)
            context.logger.info("console file (\(profile.rawValue), \(route?.rawValue ?? "the session's route")) issued for session \(id) to \(user.name)")
            var headers = HTTPFields()
            headers[.contentType] = ConsoleFile.mediaType
            headers[.contentDisposition] = "attachment; filename=\"saffron-\(id).vv\""
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: file.rendered(for: profile))))
        }
        group.delete("sessions/:id") { _, context in
            try await broker.endSession(
                id: try context.pathParameter("id"), requestedBy: try context.requireUser(), from: context.clientAddress)
            return Response(status: .noContent)
        }
    }

    /// `?via=direct|proxy`: through the session's forwarded port or through the CONNECT proxy; nil (absent): the
    /// session's own route (its pool's at handout).
    static func route(_ request: Request) -> ConsoleRoute? {
        // The broker answers a route none of its access paths serves with `route_unknown`.
        request.uri.queryParameters.get("via").map { ConsoleRoute(rawValue: String($0)) }
    }

    /// `?client=remote-viewer|aspice`, else the client the `User-Agent` suggests.
    static func clientProfile(_ request: Request) throws -> ConsoleFile.ClientProfile {
        guard let name = request.uri.queryParameters.get("client") else {
            return .forUserAgent(request.headers[.userAgent])
        }
        guard let profile = ConsoleFile.ClientProfile(rawValue: name) else {
            let known = ConsoleFile.ClientProfile.allCases.map(\.rawValue).joined(separator: ", ")
            throw BrokerError.badRequest("Unknown client \(name.debugDescription); use one of: \(known).")
        }
        return profile
    }

    private func payload(_ session: SessionRecord) async throws -> SessionPayload {
        try await payloads([session])[0]
    }

    private func payloads(_ sessions: [SessionRecord]) async throws -> [SessionPayload] {
        try await SessionPayload.of(sessions, broker: broker)
    }
}
