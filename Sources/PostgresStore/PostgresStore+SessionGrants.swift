import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func addSessionGrant(_ grant: SessionGrantRecord) async throws {
        try await statement { db, logger in
            try await db.run(
                """
                INSERT INTO session_grants (hash, kind, session_id, user_name, expires_at, first_used_at)
                VALUES (\(grant.hash), \(grant.kind.rawValue), \(grant.sessionID), \(grant.user), \(grant.expiresAt),
                    \(grant.firstUsedAt))
                """, logger: logger)
        }
    }

    public func useSessionGrant(
        hash: String, kind: SessionGrantRecord.Kind, now: Date, window: TimeInterval?
    ) async throws -> SessionGrantRecord? {
        // One statement either way: a single-use grant is deleted as it is read; one with a window starts it at its
        // first use. Two brokers redeeming at once are settled by the row's lock.
        let row: PostgresRandomAccessRow? = try await statement { db, logger in
            if let window {
                return try await db.row(
                    """
                    UPDATE session_grants
                    SET expires_at = CASE WHEN first_used_at IS NULL THEN LEAST(expires_at, \(now.addingTimeInterval(window)))
                            ELSE expires_at END,
                        first_used_at = COALESCE(first_used_at, \(now))
                    WHERE hash = \(hash) AND kind = \(kind.rawValue) AND expires_at > \(now)
                    RETURNING *
                    """, logger: logger)
            }
            return try await db.row(
                """
                DELETE FROM session_grants WHERE hash = \(hash) AND kind = \(kind.rawValue) AND expires_at > \(now)
                RETURNING *
                """, logger: logger)
        }
        if row == nil {
            // An expired grant is spent for good, whatever clock asks next.
            try await statement { db, logger in
                try await db.run("DELETE FROM session_grants WHERE hash = \(hash) AND expires_at <= \(now)", logger: logger)
            }
        }
        return try row.map { row in
            SessionGrantRecord(
                hash: try row.get("hash"), kind: kind, sessionID: try row.get("session_id"), user: try row.get("user_name"),
                expiresAt: try row.get("expires_at"), firstUsedAt: try row.get("first_used_at"))
        }
    }

    public func deleteExpiredSessionGrants(now: Date) async throws -> Int {
        try await statement { db, logger in
            try await db.count("DELETE FROM session_grants WHERE expires_at <= \(now) RETURNING 1", logger: logger)
        }
    }
}
