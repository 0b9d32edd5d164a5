import Foundation
import GRDB

extension SQLiteStore {
    public func appendAuditEvent(_ event: AuditEvent) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_events (at, actor, action, subject, client_address, succeeded, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.at, event.actor, event.action.rawValue, event.subject, event.clientAddress, event.succeeded,
                    event.detail,
                ])
        }
    }

    public func auditEvents(before: Int64?, limit: Int) async throws -> [AuditEvent] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_events WHERE id < ? ORDER BY id DESC LIMIT ?",
                arguments: [before ?? Int64.max, max(0, limit)]
            ).map(AuditEvent.init(row:))
        }
    }

    public func auditEvents(_ action: AuditAction, about subjects: [String]) async throws -> [AuditEvent] {
        guard !subjects.isEmpty else { return [] }
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_events WHERE action = ? AND subject IN (\(databaseQuestionMarks(count: subjects.count))) ORDER BY id DESC",
                arguments: StatementArguments([action.rawValue] + subjects)
            ).map(AuditEvent.init(row:))
        }
    }

    public func deleteAuditEvents(olderThan date: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM audit_events WHERE at < ?", arguments: [date])
            return db.changesCount
        }
    }
}

extension AuditEvent {
    init(row: Row) {
        self.init(
            id: row["id"], at: row["at"], actor: row["actor"], action: AuditAction(rawValue: row["action"]),
            subject: row["subject"],
            clientAddress: row["client_address"], succeeded: row["succeeded"], detail: row["detail"])
    }
}
