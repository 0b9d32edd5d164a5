import Foundation
import Logging
import Store

/// The audit log: logins, handouts, session ends and admin changes, kept in the store for admins to read.
///
/// Writing an entry never fails the action it records (a store error is logged instead), and no entry holds a
/// ticket, token or password.
public struct AuditLog: Sendable {
    /// The actor of changes made with the local admin CLI.
    public static let cliActor = "cli"
    /// The actor of what the broker does on its own (reclaiming, reconciling).
    public static let brokerActor = "broker"

    /// The address of the client whose request is being served, set by the HTTP layer around each request, so that
    /// entries of admin changes made through the API say where they came from.
    @TaskLocal public static var requestAddress: String?

    let store: any AuditRepository
    let logger: Logger

    public init(store: any AuditRepository, logger: Logger = Logger(label: "saffron.audit")) {
        self.store = store
        self.logger = logger
    }

    /// Appends an entry; without `clientAddress`, the address of the request being served, if any.
    func record(
        _ action: AuditAction, by actor: String, subject: String, from clientAddress: String? = nil,
        succeeded: Bool = true, _ detail: String = "", now: Date = Date()
    ) async {
        let event = AuditEvent(
            at: now, actor: actor, action: action, subject: subject, clientAddress: clientAddress ?? Self.requestAddress,
            succeeded: succeeded, detail: detail)
        do {
            try await store.appendAuditEvent(event)
        } catch {
            logger.error("audit entry \(action) of \(actor) on \(subject) not stored: \(error)")
        }
    }

    /// Entries newest first, at most `limit` (1...1000), older than entry `before` when given; admins only (nil is
    /// the local admin CLI); auditors read them too.
    public func events(before: Int64? = nil, limit: Int = 100, requestedBy user: UserRecord?) async throws -> [AuditEvent] {
        if let user { try Broker.requireReader(user) }
        guard (1...1000).contains(limit) else { throw BrokerError.badRequest("The limit must be 1 to 1000.") }
        if let before, before < 1 { throw BrokerError.badRequest("`before` must be an entry id (1 or more).") }
        return try await BrokerError.mapping { try await store.auditEvents(before: before, limit: limit) }
    }
}
