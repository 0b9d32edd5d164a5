import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func loginFailures(_ keys: [String]) async throws -> [String: LoginFailureRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM login_failures WHERE key = ANY(\(keys))", logger: logger)
                .reduce(into: [:]) { records, row in records[try row.get("key")] = try LoginFailureRecord(row) }
        }
    }

    public func updateLoginFailures(
        _ keys: [String], _ change: @escaping @Sendable (String, LoginFailureRecord?) -> LoginFailureRecord
    ) async throws {
        // Existing rows are locked while they change; two brokers adding the same new key meet on its primary key,
        // and the loser runs again and counts on top.
        try await transaction(retryingConflicts: true) { db, logger in
            for key in keys.sorted() {
                let current = try await db.row("SELECT * FROM login_failures WHERE key = \(key) FOR UPDATE", logger: logger)
                    .map(LoginFailureRecord.init)
                let record = change(key, current)
                if current == nil {
                    try await db.run(
                        """
                        INSERT INTO login_failures (key, failures, last_at, blocked_until)
                        VALUES (\(key), \(record.failures), \(record.last), \(record.blockedUntil))
                        """, logger: logger)
                } else {
                    try await db.run(
                        """
                        UPDATE login_failures SET failures = \(record.failures), last_at = \(record.last),
                            blocked_until = \(record.blockedUntil)
                        WHERE key = \(key)
                        """, logger: logger)
                }
            }
        }
    }

    public func clearLoginFailures(_ key: String) async throws {
        try await statement { db, logger in try await db.run("DELETE FROM login_failures WHERE key = \(key)", logger: logger) }
    }

    public func deleteLoginFailures(lastBefore date: Date) async throws -> Int {
        try await statement { db, logger in
            try await db.count("DELETE FROM login_failures WHERE last_at < \(date) RETURNING 1", logger: logger)
        }
    }
}

extension LoginFailureRecord {
    init(_ row: PostgresRandomAccessRow) throws {
        self.init(failures: try row.get("failures"), last: try row.get("last_at"), blockedUntil: try row.get("blocked_until"))
    }
}
