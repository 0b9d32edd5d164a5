import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func addUser(_ user: UserRecord) async throws {
        try await transaction { db, logger in
            let added = try await db.count(
                """
                INSERT INTO users (name, password_hash, is_admin, is_auditor, created_at)
                VALUES (\(user.name), \(user.passwordHash), \(user.isAdmin), \(user.isAuditor), \(user.createdAt))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            if added == 0 { throw StoreError.userExists(user.name) }
        }
    }

    public func user(named name: String) async throws -> UserRecord? {
        try await read { db, logger in
            try await db.row("SELECT * FROM users WHERE name = \(name)", logger: logger).map(UserRecord.init)
        }
    }

    public func users() async throws -> [UserRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM users ORDER BY name", logger: logger).map(UserRecord.init)
        }
    }

    public func updateUser(named name: String, isAdmin: Bool?, isAuditor: Bool?, passwordHash: String?) async throws {
        try await transaction { db, logger in
            let found = try await db.count(
                """
                UPDATE users SET is_admin = COALESCE(\(isAdmin), is_admin), is_auditor = COALESCE(\(isAuditor), is_auditor),
                    password_hash = COALESCE(\(passwordHash), password_hash)
                WHERE name = \(name) RETURNING 1
                """, logger: logger)
            guard found == 1 else { throw StoreError.userNotFound(name) }
            if passwordHash != nil {
                try await db.run("DELETE FROM tokens WHERE user_name = \(name)", logger: logger)
            }
        }
    }

    public func deleteUser(named name: String) async throws {
        try await transaction { db, logger in
            guard try await db.row("SELECT 1 FROM users WHERE name = \(name) FOR UPDATE", logger: logger) != nil else {
                throw StoreError.userNotFound(name)
            }
            let sessions = try await db.values(Int.self, "SELECT COUNT(*) FROM sessions WHERE user_name = \(name)", logger: logger)
            if let count = sessions.first, count > 0 { throw StoreError.userHasSessions(name, sessions: count) }
            try await db.run("DELETE FROM pool_grants WHERE kind = 'user' AND principal = \(name)", logger: logger)
            try await db.run("DELETE FROM users WHERE name = \(name)", logger: logger)
        }
    }

    public func addToken(hash: String, user: String, expiresAt: Date) async throws {
        try await statement { db, logger in
            try await db.run(
                "INSERT INTO tokens (hash, user_name, expires_at) VALUES (\(hash), \(user), \(expiresAt))", logger: logger)
        }
    }

    public func user(forTokenHash hash: String, now: Date) async throws -> UserRecord? {
        try await read { db, logger in
            try await db.row(
                """
                SELECT users.* FROM tokens JOIN users ON users.name = tokens.user_name
                WHERE tokens.hash = \(hash) AND tokens.expires_at > \(now)
                """, logger: logger
            ).map(UserRecord.init)
        }
    }

    public func deleteToken(hash: String) async throws {
        try await statement { db, logger in
            try await db.run("DELETE FROM tokens WHERE hash = \(hash)", logger: logger)
        }
    }

    public func deleteExpiredTokens(now: Date) async throws -> Int {
        try await statement { db, logger in
            try await db.count("DELETE FROM tokens WHERE expires_at <= \(now) RETURNING 1", logger: logger)
        }
    }
}
