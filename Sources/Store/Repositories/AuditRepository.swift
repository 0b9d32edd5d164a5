import Foundation

/// The audit log: what people and the broker did.
public protocol AuditRepository: Sendable {
    /// Appends an entry to the audit log.
    func appendAuditEvent(_ event: AuditEvent) async throws
    /// Entries newest first: at most `limit`, older than the entry `before` when given (for paging).
    func auditEvents(before: Int64?, limit: Int) async throws -> [AuditEvent]
    /// The entries of `action` about any of `subjects`, newest first.
    func auditEvents(_ action: AuditAction, about subjects: [String]) async throws -> [AuditEvent]
    /// Deletes the entries made before `date`; returns how many.
    @discardableResult func deleteAuditEvents(olderThan date: Date) async throws -> Int
}
