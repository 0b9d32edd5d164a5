import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func appendAuditEvent(_ event: AuditEvent) async throws {
        try await statement { db, logger in
            try await db.run(
                """
                INSERT INTO audit_events (at, actor, action, subject, client_address, succeeded, detail)
                VALUES (\(event.at), \(event.actor), \(event.action.rawValue), \(event.subject), \(event.clientAddress),
                    \(event.succeeded), \(event.detail))
                """, logger: logger)
        }
    }

    public func auditEvents(before: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await read { db, logger in
            try await db.rows(
                "SELECT * FROM audit_events WHERE id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(max(0, limit))",
                logger: logger
            ).map(AuditEvent.init)
        }
    }

    public func auditEvents(_ action: AuditAction, about subjects: [String]) async throws -> [AuditEvent] {
        guard !subjects.isEmpty else { return [] }
        return try await read { db, logger in
            try await db.rows(
                "SELECT * FROM audit_events WHERE action = \(action.rawValue) AND subject = ANY(\(subjects)) ORDER BY id DESC",
                logger: logger
            ).map(AuditEvent.init)
        }
    }

    public func deleteAuditEvents(olderThan date: Date) async throws -> Int {
        try await statement { db, logger in
            try await db.count("DELETE FROM audit_events WHERE at < \(date) RETURNING 1", logger: logger)
        }
    }
}
