import Broker
import ConsoleFile
import Foundation
import Hummingbird
import Logging
import NIOCore
import Store

/// "Send to phone": `POST /api/v1/sessions/{id}/phone-link` makes a link, `GET /p/{token}` serves the aSpice `.vv`.
struct PhoneRoutes {
    let broker: Broker
    let publicURL: PublicBaseURL

    struct Payload: Encodable {
        let url: String
        let expiresAt: Date
    }

    func register(authenticated: RouterGroup<SaffronRequestContext>, on router: Router<SaffronRequestContext>) {
        authenticated.post("sessions/:id/phone-link") { request, context in
            let user = try context.requireUser()
            let id = try context.pathParameter("id")
            let link = try await broker.phoneLink(forSession: id, user: user)
            // The phone must reach the broker the way this browser did (or at its configured public URL).
            let base = try publicURL.base(for: request, context: context)
            context.logger.info("phone link made for session \(id) by \(user.name)")
            return JSONResponse.make(status: .ok, Payload(url: "\(base)/p/\(link.token)", expiresAt: link.expiresAt))
        }
        router.get("p/:token") { _, context in
            let file = try await broker.consoleFile(forPhoneLink: try context.pathParameter("token"))
            context.logger.info("phone link used from \(context.clientAddress ?? "?")")
            var headers = HTTPFields()
            headers[.contentType] = ConsoleFile.mediaType
            headers[.contentDisposition] = "attachment; filename=\"saffron.vv\""
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: file.rendered(for: .aSpice))))
        }
    }
}
