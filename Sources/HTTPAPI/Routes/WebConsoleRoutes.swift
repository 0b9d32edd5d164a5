import Broker
import Foundation
import Hummingbird
import Logging
import Store

/// `POST /sessions/{id}/web-console`: what the HTML5 client needs to open a session through the WebSocket gateway.
struct WebConsoleRoutes {
    let broker: Broker
    /// The gateway's base URL as browsers reach it, e.g. `ws://broker.example:8081`.
    let gatewayURL: String

    /// The answer: the WebSocket URL with its single-use token, and the SPICE password for the client.
    struct Payload: Encodable {
        let url: String
        let tokenExpiresAt: Date
        let password: String
        let passwordValidUntil: Date
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.post("sessions/:id/web-console") { _, context in
            let user = try context.requireUser()
            let id = try context.pathParameter("id")
            let grant = try await broker.webConsole(forSession: id, user: user)
            context.logger.info("web console granted for session \(id) to \(user.name)")
            return JSONResponse.make(
                status: .ok,
                Payload(
                    url: "\(gatewayURL)/ws/\(grant.token)", tokenExpiresAt: grant.tokenExpiresAt,
                    password: grant.spicePassword, passwordValidUntil: grant.passwordValidUntil))
        }
    }
}
