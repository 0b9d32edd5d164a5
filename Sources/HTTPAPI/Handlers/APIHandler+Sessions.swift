import Broker
import ConsoleFile
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import SaffronAPI
import Store

/// A user's desktops: their sessions, console files, browser consoles, links for a phone, ending one.
extension APIHandler {
    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let sessions = try await broker.sessions(visibleTo: try RequestScope.context.requireUser())
        return .ok(.init(body: .json(.init(sessions: try await Components.Schemas.Session.of(sessions, broker: broker)))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        let session = try await broker.session(id: input.path.id, visibleTo: try RequestScope.context.requireUser())
        return .ok(.init(body: .json(try await Components.Schemas.Session.of([session], broker: broker)[0])))
    }

    func endSession(_ input: Operations.EndSession.Input) async throws -> Operations.EndSession.Output {
        let context = try RequestScope.context
        try await broker.endSession(id: input.path.id, requestedBy: try context.requireUser(), from: context.clientAddress)
        return .noContent(.init())
    }

    func consoleFile(_ input: Operations.ConsoleFile.Input) async throws -> Operations.ConsoleFile.Output {
        let context = try RequestScope.context
        let user = try context.requireUser()
        let id = input.path.id
        let profile = input.query.client.flatMap { ConsoleFile.ClientProfile(rawValue: $0.rawValue) }
            ?? .forUserAgent(RequestScope.headers[.userAgent])
        // A route none of the broker's access paths serves is answered `route_unknown`.
        let route = input.query.via.map { ConsoleRoute(rawValue: $0) }
        let file = try await broker.consoleFile(forSession: id, user: user, route: route)
        context.logger.info("console file (\(profile.rawValue), \(route?.rawValue ?? "the session's route")) issued for session \(id) to \(user.name)")
        return .ok(
            .init(
                headers: .init(contentDisposition: "attachment; filename=\"saffron-\(id).vv\"", cacheControl: .noStore),
                body: .applicationXVirtViewer(HTTPBody(file.rendered(for: profile)))))
    }

    func webConsole(_ input: Operations.WebConsole.Input) async throws -> Operations.WebConsole.Output {
        let context = try RequestScope.context
        let user = try context.requireUser()
        let grant = try await broker.webConsole(forSession: input.path.id, user: user)
        context.logger.info("web console granted for session \(input.path.id) to \(user.name)")
        return .ok(
            .init(
                body: .json(
                    .init(
                        url: "\(gatewayURL)/ws/\(grant.token)", tokenExpiresAt: grant.tokenExpiresAt,
                        password: grant.spicePassword, passwordValidUntil: grant.passwordValidUntil))))
    }

    func phoneLink(_ input: Operations.PhoneLink.Input) async throws -> Operations.PhoneLink.Output {
        let context = try RequestScope.context
        let user = try context.requireUser()
        let link = try await broker.phoneLink(forSession: input.path.id, user: user)
        // The phone must reach the broker the way this browser did (or at its configured public URL).
        let base = try publicURL.base(authority: RequestScope.authority, context: context)
        context.logger.info("phone link made for session \(input.path.id) by \(user.name)")
        return .ok(.init(body: .json(.init(url: "\(base)/p/\(link.token)", expiresAt: link.expiresAt))))
    }

    func phoneFile(_ input: Operations.PhoneFile.Input) async throws -> Operations.PhoneFile.Output {
        let context = try RequestScope.context
        let file = try await broker.consoleFile(forPhoneLink: input.path.token)
        context.logger.info("phone link used from \(context.clientAddress ?? "?")")
        return .ok(
            .init(
                headers: .init(contentDisposition: "attachment; filename=\"saffron.vv\"", cacheControl: .noStore),
                body: .applicationXVirtViewer(HTTPBody(file.rendered(for: .aSpice)))))
    }
}
