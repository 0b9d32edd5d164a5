import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func addGroup(named name: String, now: Date) async throws {
        try await transaction { db, logger in
            let added = try await db.count(
                "INSERT INTO groups (name, created_at) VALUES (\(name), \(now)) ON CONFLICT DO NOTHING RETURNING 1",
                logger: logger)
            if added == 0 { throw StoreError.groupExists(name) }
        }
    }

    public func deleteGroup(named name: String) async throws {
        try await transaction { db, logger in
            try await db.run("DELETE FROM pool_grants WHERE kind = 'group' AND principal = \(name)", logger: logger)
            let deleted = try await db.count("DELETE FROM groups WHERE name = \(name) RETURNING 1", logger: logger)
            guard deleted == 1 else { throw StoreError.groupNotFound(name) }  // memberships cascade
        }
    }

    public func groups() async throws -> [GroupRecord] {
        try await read { db, logger in
            let members = try await db.rows("SELECT group_name, user_name FROM group_members ORDER BY user_name", logger: logger)
                .reduce(into: [String: [String]]()) { try $0[$1.get("group_name"), default: []].append($1.get("user_name")) }
            return try await db.rows("SELECT * FROM groups ORDER BY name", logger: logger).map { row in
                let name = try row.get("name", as: String.self)
                return GroupRecord(name: name, members: members[name] ?? [], createdAt: try row.get("created_at"))
            }
        }
    }

    public func addMembers(_ users: [String], toGroup group: String) async throws {
        try await transaction { db, logger in
            guard try await Self.lockGroup(db, logger, group) else { throw StoreError.groupNotFound(group) }
            for user in users {
                guard try await db.row("SELECT 1 FROM users WHERE name = \(user)", logger: logger) != nil else {
                    throw StoreError.userNotFound(user)
                }
                try await db.run(
                    "INSERT INTO group_members (group_name, user_name) VALUES (\(group), \(user)) ON CONFLICT DO NOTHING",
                    logger: logger)
            }
        }
    }

    public func removeMembers(_ users: [String], fromGroup group: String) async throws {
        try await transaction { db, logger in
            guard try await Self.lockGroup(db, logger, group) else { throw StoreError.groupNotFound(group) }
            try await db.run(
                "DELETE FROM group_members WHERE group_name = \(group) AND user_name = ANY(\(users))", logger: logger)
        }
    }

    public func grantPool(_ pool: String, to grant: PoolGrant) async throws {
        try await transaction { db, logger in
            guard try await Self.fetchPool(db, logger, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            switch grant {
            case .user(let name):
                guard try await db.row("SELECT 1 FROM users WHERE name = \(name) FOR SHARE", logger: logger) != nil else {
                    throw StoreError.userNotFound(name)
                }
            case .group(let name):
                guard try await Self.lockGroup(db, logger, name) else { throw StoreError.groupNotFound(name) }
            case .everyone:
                break
            }
            let (kind, principal) = (grant.kind, grant.principal)
            try await db.run(
                """
                INSERT INTO pool_grants (pool_name, kind, principal) VALUES (\(pool), \(kind), \(principal))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    public func revokePool(_ pool: String, from grant: PoolGrant) async throws -> Bool {
        try await transaction { db, logger in
            guard try await Self.fetchPool(db, logger, named: pool) != nil else { throw StoreError.poolNotFound(pool) }
            let (kind, principal) = (grant.kind, grant.principal)
            return try await db.count(
                """
                DELETE FROM pool_grants WHERE pool_name = \(pool) AND kind = \(kind) AND principal = \(principal) RETURNING 1
                """, logger: logger) > 0
        }
    }

    public func poolGrants() async throws -> [String: [PoolGrant]] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM pool_grants ORDER BY pool_name, kind, principal", logger: logger)
                .reduce(into: [String: [PoolGrant]]()) { grants, row in
                    if let grant = PoolGrant(kind: try row.get("kind"), principal: try row.get("principal")) {
                        grants[try row.get("pool_name"), default: []].append(grant)
                    }
                }
        }
    }

    public func entitledPools(ofUser user: String) async throws -> Set<String> {
        try await read { db, logger in
            Set(
                try await db.values(
                    String.self,
                    """
                    SELECT pool_name FROM pool_grants
                    WHERE kind = 'everyone'
                        OR (kind = 'user' AND principal = \(user))
                        OR (kind = 'group' AND principal IN (SELECT group_name FROM group_members WHERE user_name = \(user)))
                        OR (kind = 'group' AND principal IN (
                            SELECT group_name FROM user_directory_groups WHERE user_name = \(user)))
                    """, logger: logger))
        }
    }

    public func setDirectoryGroups(_ groups: [String], ofUser user: String) async throws {
        try await transaction { db, logger in
            try await db.run("DELETE FROM user_directory_groups WHERE user_name = \(user)", logger: logger)
            try await db.run(
                """
                INSERT INTO user_directory_groups (user_name, group_name)
                SELECT \(user), group_name FROM unnest(\(Array(Set(groups)))::text[]) AS group_name
                """, logger: logger)
        }
    }

    /// Whether the group exists, locking its row against deletion until the transaction ends.
    private static func lockGroup(_ db: PostgresConnection, _ logger: Logger, _ name: String) async throws -> Bool {
        try await db.row("SELECT 1 FROM groups WHERE name = \(name) FOR SHARE", logger: logger) != nil
    }
}
