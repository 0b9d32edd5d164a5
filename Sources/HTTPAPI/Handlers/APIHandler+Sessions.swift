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
        let sessions = try await broker.sessions(visibleTo: try RequestScope.caller.requireUser())
        return .ok(.init(body: .json(.init(sessions: try await Components.Schemas.Session.of(sessions, broker: broker)))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        let session = try await broker.session(id: input.path.id, visibleTo: try RequestScope.caller.requireUser())
        return .ok(.init(body: .json(try await Components.Schemas.Session.of([session], broker: broker)[0])))
    }

    func endSession(_ input: Operations.EndSession.Input) async throws -> Operations.EndSession.Output {
        let caller = try RequestScope.caller
        try await broker.endSession(id: input.path.id, requestedBy: try caller.requireUser(), from: caller.clientAddress)
        return .noContent(.init())
    }

    func consoleFile(_ input: Operations.ConsoleFile.Input) async throws -> Operations.ConsoleFile.Output {
        let caller = try RequestScope.caller
        let user = try caller.requireUser()
        let id = input.path.id
        let profile = input.query.client.flatMap { ConsoleFile.ClientProfile(rawValue: $0.rawValue) }
            ?? .forUserAgent(RequestScope.headers[.userAgent])
        // A route none of the broker's access paths serves is answered `route_unknown`.
        let route = input.query.via.map { ConsoleRoute(rawValue: $0) }
        let file = try await broker.consoleFile(forSession: id, user: user, route: route)
        caller.logger.info("console file (\(profile.rawValue), \(route?.rawValue ?? "the session's route")) issued for session \(id) to \(user.name)")
        return .ok(
            .init(
                headers: .init(contentDisposition: "attachment; filename=\"saffron-\(id).vv\"", cacheControl: .noStore),
                body: .applicationXVirtViewer(HTTPBody(file.rendered(for: profile)))))
    }

    func webConsole(_ input: Operations.WebConsole.Input) async throws -> Operations.WebConsole.Output {
        let caller = try RequestScope.caller
        let user = try caller.requireUser()
        let grant = try await broker.webConsole(forSession: input.path.id, user: user)
        caller.logger.info("web console granted for session \(input.path.id) to \(user.name)")
        return .ok(
            .init(
                body: .json(
                    .init(
                        url: "\(gatewayURL)/ws/\(grant.token)", tokenExpiresAt: grant.tokenExpiresAt,
                        password: grant.spicePassword, passwordValidUntil: grant.passwordValidUntil,
                        reusable: grant.reusable))))
    }

    func phoneLink(_ input: Operations.PhoneLink.Input) async throws -> Operations.PhoneLink.Output {
        let caller = try RequestScope.caller
        let user = try caller.requireUser()
        let link = try await broker.phoneLink(forSession: input.path.id, user: user)
        // The phone must reach the broker the way this browser did (or at its configured public URL).
        let base = try publicURL.base(authority: RequestScope.authority, scheme: caller.forwardedScheme)
        caller.logger.info("phone link made for session \(input.path.id) by \(user.name)")
        return .ok(.init(body: .json(.init(url: "\(base)/p/\(link.token)", expiresAt: link.expiresAt))))
    }

    func phoneFile(_ input: Operations.PhoneFile.Input) async throws -> Operations.PhoneFile.Output {
        let caller = try RequestScope.caller
        let file = try await broker.consoleFile(forPhoneLink: input.path.token)
        caller.logger.info("phone link used from \(caller.clientAddress ?? "?")")
        return .ok(
            .init(
                headers: .init(contentDisposition: "attachment; filename=\"saffron.vv\"", cacheControl: .noStore),
                body: .applicationXVirtViewer(HTTPBody(file.rendered(for: .aSpice)))))
    }
}
