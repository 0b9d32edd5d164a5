import Broker
import Foundation
import Hummingbird
import Store

/// `GET /admin/audit`: the audit log for admins, newest first, paged with `?before=ID&limit=N`.
struct AuditRoutes {
    let broker: Broker

    /// One entry as the API shows it.
    struct EventPayload: Encodable {
        let id: Int64
        let at: Date
        let actor: String
        let action: String
        let subject: String
        let clientAddress: String?
        let succeeded: Bool
        let detail: String

        init(_ event: AuditEvent) {
            id = event.id
            at = event.at
            actor = event.actor
            action = event.action.rawValue
            subject = event.subject
            clientAddress = event.clientAddress
            succeeded = event.succeeded
            detail = event.detail
        }

        /// A missing client address says so with `null` rather than leaving the key out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(at, forKey: .at)
            try container.encode(actor, forKey: .actor)
            try container.encode(action, forKey: .action)
            try container.encode(subject, forKey: .subject)
            try container.encode(clientAddress, forKey: .clientAddress)
            try container.encode(succeeded, forKey: .succeeded)
            try container.encode(detail, forKey: .detail)
        }

        private enum CodingKeys: String, CodingKey {
            case id, at, actor, action, subject, clientAddress, succeeded, detail
        }
    }

    /// A page of entries, and the `before` that fetches the next (older) page; null on the last page.
    struct PagePayload: Encodable {
        let events: [EventPayload]
        let nextBefore: Int64?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(events, forKey: .events)
            try container.encode(nextBefore, forKey: .nextBefore)
        }

        private enum CodingKeys: String, CodingKey { case events, nextBefore }
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("admin/audit") { request, context in
            let limit = try Self.integer("limit", in: request) ?? 100
            let before = try Self.integer("before", in: request)
            let events = try await broker.audit.events(before: before.map(Int64.init), limit: limit, requestedBy: try context.requireUser())
            let nextBefore = events.count == limit ? events.last?.id : nil
            return JSONResponse.make(status: .ok, PagePayload(events: events.map(EventPayload.init), nextBefore: nextBefore))
        }
    }

    private static func integer(_ name: String, in request: Request) throws -> Int? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let value = Int(text) else { throw BrokerError.badRequest("\(name) must be a whole number, not \(text.debugDescription).") }
        return value
    }
}
