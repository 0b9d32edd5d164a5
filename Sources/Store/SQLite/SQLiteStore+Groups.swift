import Foundation
import GRDB

extension SQLiteStore {
    public func addGroup(named name: String, now: Date) async throws {
        try await write { db in
            if try Self.groupExists(db, name) { throw StoreError.groupExists(name) }
            try db.execute(sql: "INSERT INTO groups (name, created_at) VALUES (?, ?)", arguments: [name, now])
        }
    }

    public func deleteGroup(named name: String) async throws {
        try await write { db in
            guard try Self.groupExists(db, name) else { throw StoreError.groupNotFound(name) }
            try db.execute(sql: "DELETE FROM pool_grants WHERE kind = 'group' AND principal = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM groups WHERE name = ?", arguments: [name])  // memberships cascade
        }
    }

    public func groups() async throws -> [GroupRecord] {
        try await read { db in
            let members = try Row.fetchAll(db, sql: "SELECT group_name, user_name FROM group_members ORDER BY user_name")
                .reduce(into: [String: [String]]()) { $0[$1["group_name"], default: []].append($1["user_name"]) }
            return try Row.fetchAll(db, sql: "SELECT * FROM groups ORDER BY name").map { row in
                GroupRecord(name: row["name"], members: members[row["name"]] ?? [], createdAt: row["created_at"])
            }
        }
    }

    public func addMembers(_ users: [String], toGroup group: String) async throws {
        try await write { db in
            guard try Self.groupExists(db, group) else { throw StoreError.groupNotFound(group) }
            for user in users {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [user]) != nil else {
                    throw StoreError.userNotFound(user)
                }
                try db.execute(
                    sql: "INSERT OR IGNORE INTO group_members (group_name, user_name) VALUES (?, ?)", arguments: [group, user])
            }
        }
    }

    public func removeMembers(_ users: [String], fromGroup group: String) async throws {
        try await write { db in
            guard try Self.groupExists(db, group) else { throw StoreError.groupNotFound(group) }
            for user in users {
                try db.execute(
                    sql: "DELETE FROM group_members WHERE group_name = ? AND user_name = ?", arguments: [group, user])
            }
        }
    }

    public func grantPool(_ pool: String, to grant: PoolGrant) async throws {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            switch grant {
            case .user(let name):
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE name = ?", arguments: [name]) != nil else {
                    throw StoreError.userNotFound(name)
                }
            case .group(let name):
                guard try Self.groupExists(db, name) else { throw StoreError.groupNotFound(name) }
            case .everyone:
                break
            }
            let (kind, principal) = (grant.kind, grant.principal)
            try db.execute(
                sql: "INSERT OR IGNORE INTO pool_grants (pool_name, kind, principal) VALUES (?, ?, ?)",
                arguments: [pool, kind, principal])
        }
    }

    public func revokePool(_ pool: String, from grant: PoolGrant) async throws -> Bool {
        try await write { db in
            guard try Self.fetchPool(db, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            let (kind, principal) = (grant.kind, grant.principal)
            try db.execute(
                sql: "DELETE FROM pool_grants WHERE pool_name = ? AND kind = ? AND principal = ?",
                arguments: [pool, kind, principal])
            return db.changesCount > 0
        }
    }

    public func poolGrants() async throws -> [String: [PoolGrant]] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM pool_grants ORDER BY pool_name, kind, principal")
                .reduce(into: [String: [PoolGrant]]()) { grants, row in
                    if let grant = PoolGrant(kind: row["kind"], principal: row["principal"]) {
                        grants[row["pool_name"], default: []].append(grant)
                    }
                }
        }
    }

    public func entitledPools(ofUser user: String) async throws -> Set<String> {
        try await read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT pool_name FROM pool_grants
                        WHERE kind = 'everyone'
                            OR (kind = 'user' AND principal = ?)
                            OR (kind = 'group' AND principal IN (SELECT group_name FROM group_members WHERE user_name = ?))
                            OR (kind = 'group' AND principal IN (
                                SELECT group_name FROM user_directory_groups WHERE user_name = ?))
                        """,
                    arguments: [user, user, user]))
        }
    }

    public func setDirectoryGroups(_ groups: [String], ofUser user: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM user_directory_groups WHERE user_name = ?", arguments: [user])
            for group in Set(groups) {
                try db.execute(
                    sql: "INSERT INTO user_directory_groups (user_name, group_name) VALUES (?, ?)", arguments: [user, group])
            }
        }
    }

    private static func groupExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM groups WHERE name = ?", arguments: [name]) != nil
    }
}
