import Foundation
import GRDB

extension SQLiteStore {
    public func addSessionGrant(_ grant: SessionGrantRecord) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO session_grants (hash, kind, session_id, user_name, expires_at, first_used_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [grant.hash, grant.kind.rawValue, grant.sessionID, grant.user, grant.expiresAt, grant.firstUsedAt])
        }
    }

    public func useSessionGrant(
        hash: String, kind: SessionGrantRecord.Kind, now: Date, window: TimeInterval?
    ) async throws -> SessionGrantRecord? {
        try await write { db in
            guard
                var grant = try Row.fetchOne(
                    db, sql: "SELECT * FROM session_grants WHERE hash = ? AND kind = ? AND expires_at > ?",
                    arguments: [hash, kind.rawValue, now]
                ).map({ row in
                    SessionGrantRecord(
                        hash: row["hash"], kind: kind, sessionID: row["session_id"], user: row["user_name"],
                        expiresAt: row["expires_at"], firstUsedAt: row["first_used_at"])
                })
            else {
                // An expired grant is spent for good, whatever clock asks next.
                try db.execute(sql: "DELETE FROM session_grants WHERE hash = ? AND expires_at <= ?", arguments: [hash, now])
                return nil
            }
            guard let window else {
                try db.execute(sql: "DELETE FROM session_grants WHERE hash = ?", arguments: [hash])
                return grant
            }
            if grant.firstUsedAt == nil {
                grant.firstUsedAt = now
                grant.expiresAt = min(grant.expiresAt, now.addingTimeInterval(window))
                try db.execute(
                    sql: "UPDATE session_grants SET first_used_at = ?, expires_at = ? WHERE hash = ?",
                    arguments: [now, grant.expiresAt, hash])
            }
            return grant
        }
    }

    public func deleteExpiredSessionGrants(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM session_grants WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }
}
