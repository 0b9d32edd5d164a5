import Foundation
import GRDB

extension SQLiteStore {
    public func addUser(_ user: UserRecord) async throws {
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [user.name]) != nil {
                throw StoreError.userExists(user.name)
            }
            try db.execute(
                sql: "INSERT INTO users (name, password_hash, is_admin, is_auditor, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [user.name, user.passwordHash, user.isAdmin, user.isAuditor, user.createdAt])
        }
    }

    public func user(named name: String) async throws -> UserRecord? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ?", arguments: [name]).map(UserRecord.init(row:))
        }
    }

    public func users() async throws -> [UserRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(UserRecord.init(row:))
        }
    }

    public func updateUser(named name: String, isAdmin: Bool?, isAuditor: Bool?, passwordHash: String?) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.userNotFound(name)
            }
            if let isAdmin {
                try db.execute(sql: "UPDATE users SET is_admin = ? WHERE name = ?", arguments: [isAdmin, name])
            }
            if let isAuditor {
                try db.execute(sql: "UPDATE users SET is_auditor = ? WHERE name = ?", arguments: [isAuditor, name])
            }
            if let passwordHash {
                try db.execute(sql: "UPDATE users SET password_hash = ? WHERE name = ?", arguments: [passwordHash, name])
                try db.execute(sql: "DELETE FROM tokens WHERE user_name = ?", arguments: [name])
            }
        }
    }

    public func deleteUser(named name: String) async throws {
        try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError.userNotFound(name)
            }
            let sessions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sessions WHERE user_name = ?", arguments: [name]) ?? 0
            if sessions > 0 { throw StoreError.userHasSessions(name, sessions: sessions) }
            try db.execute(sql: "DELETE FROM pool_grants WHERE kind = 'user' AND principal = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM users WHERE name = ?", arguments: [name])
        }
    }

    public func addToken(hash: String, user: String, expiresAt: Date) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO tokens (hash, user_name, expires_at) VALUES (?, ?, ?)",
                arguments: [hash, user, expiresAt])
        }
    }

    public func user(forTokenHash hash: String, now: Date) async throws -> UserRecord? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT users.* FROM tokens JOIN users ON users.name = tokens.user_name
                    WHERE tokens.hash = ? AND tokens.expires_at > ?
                    """,
                arguments: [hash, now]
            ).map(UserRecord.init(row:))
        }
    }

    public func deleteToken(hash: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE hash = ?", arguments: [hash])
        }
    }

    public func deleteExpiredTokens(now: Date) async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM tokens WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }
}

extension UserRecord {
    init(row: Row) {
        self.init(
            name: row["name"], passwordHash: row["password_hash"], isAdmin: row["is_admin"], isAuditor: row["is_auditor"],
            createdAt: row["created_at"])
    }
}
