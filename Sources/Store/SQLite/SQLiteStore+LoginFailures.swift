import Foundation
import GRDB

extension SQLiteStore {
    public func loginFailures(_ keys: [String]) async throws -> [String: LoginFailureRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM login_failures WHERE key IN (\(databaseQuestionMarks(count: keys.count)))",
                arguments: StatementArguments(keys)
            ).reduce(into: [:]) { records, row in
                records[row["key"]] = LoginFailureRecord(failures: row["failures"], last: row["last_at"], blockedUntil: row["blocked_until"])
            }
        }
    }

    public func updateLoginFailures(
        _ keys: [String], _ change: @escaping @Sendable (String, LoginFailureRecord?) -> LoginFailureRecord
    ) async throws {
        try await write { db in
            for key in keys {
                let current = try Row.fetchOne(db, sql: "SELECT * FROM login_failures WHERE key = ?", arguments: [key]).map { row in
                    LoginFailureRecord(failures: row["failures"], last: row["last_at"], blockedUntil: row["blocked_until"])
                }
                let record = change(key, current)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO login_failures (key, failures, last_at, blocked_until) VALUES (?, ?, ?, ?)",
                    arguments: [key, record.failures, record.last, record.blockedUntil])
            }
        }
    }

    public func clearLoginFailures(_ key: String) async throws {
        try await write { db in try db.execute(sql: "DELETE FROM login_failures WHERE key = ?", arguments: [key]) }
    }

    public func deleteLoginFailures(lastBefore date: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE last_at < ?", arguments: [date])
            return db.changesCount
        }
    }
}
