import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func snapshot() async throws -> StoreSnapshot {
        try await transaction { db, logger in
            try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
            var snapshot = StoreSnapshot()
            snapshot.users = try await db.rows("SELECT * FROM users ORDER BY name", logger: logger).map(UserRecord.init)
            snapshot.tokens = try await db.rows("SELECT * FROM tokens ORDER BY hash", logger: logger).map { row in
                StoreSnapshot.Token(hash: try row.get("hash"), user: try row.get("user_name"), expiresAt: try row.get("expires_at"))
            }
            snapshot.pools = try await db.rows("SELECT * FROM pools ORDER BY name", logger: logger).map(PoolRecord.init)
            snapshot.vms = try await db.rows("SELECT * FROM vms ORDER BY pool_name, name", logger: logger).map(VMRecord.init)
            snapshot.sessions = try await db.rows("SELECT * FROM sessions ORDER BY created_at, id", logger: logger)
                .map(SessionRecord.init)
            let members = try await db.rows("SELECT group_name, user_name FROM group_members ORDER BY user_name", logger: logger)
                .reduce(into: [String: [String]]()) { try $0[$1.get("group_name"), default: []].append($1.get("user_name")) }
            snapshot.groups = try await db.rows("SELECT * FROM groups ORDER BY name", logger: logger).map { row in
                let name = try row.get("name", as: String.self)
                return GroupRecord(name: name, members: members[name] ?? [], createdAt: try row.get("created_at"))
            }
            snapshot.grants = try await db.rows("SELECT * FROM pool_grants ORDER BY pool_name, kind, principal", logger: logger)
                .compactMap { row in
                    let pool = try row.get("pool_name", as: String.self)
                    return PoolGrant(kind: try row.get("kind"), principal: try row.get("principal"))
                        .map { StoreSnapshot.Grant(pool: pool, grant: $0) }
                }
            snapshot.directoryGroups = try await db.rows(
                "SELECT user_name, group_name FROM user_directory_groups ORDER BY user_name, group_name", logger: logger
            ).reduce(into: [:]) { try $0[$1.get("user_name"), default: []].append($1.get("group_name")) }
            snapshot.auditEvents = try await db.rows("SELECT * FROM audit_events ORDER BY id", logger: logger).map(AuditEvent.init)
            return snapshot
        }
    }

    public func restore(_ snapshot: StoreSnapshot) async throws {
        try await transaction { db, logger in
            let held = try await db.values(
                Int.self,
                "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM pools) + (SELECT COUNT(*) FROM groups)",
                logger: logger)
            guard held.first == 0 else { throw StoreError.notEmpty }
            for user in snapshot.users {
                try await db.run(
                    """
                    INSERT INTO users (name, password_hash, is_admin, is_auditor, created_at)
                    VALUES (\(user.name), \(user.passwordHash), \(user.isAdmin), \(user.isAuditor), \(user.createdAt))
                    """, logger: logger)
            }
            for token in snapshot.tokens {
                try await db.run(
                    "INSERT INTO tokens (hash, user_name, expires_at) VALUES (\(token.hash), \(token.user), \(token.expiresAt))",
                    logger: logger)
            }
            for pool in snapshot.pools { try await Self.insertPool(db, logger, pool) }
            for vm in snapshot.vms {
                try await db.run(
                    """
                    INSERT INTO vms (name, pool_name, added_at, assigned_user, provisioned, needs_reset, broken_reason,
                        connect_uri)
                    VALUES (\(vm.name), \(vm.pool), \(vm.addedAt), \(vm.assignedUser), \(vm.isProvisioned), \(vm.needsReset),
                        \(vm.brokenReason), \(vm.connectURI))
                    """, logger: logger)
            }
            for session in snapshot.sessions {
                try await db.run(
                    """
                    INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state,
                        target_address, target_port, target_tls_port, route, created_at, public_address)
                    VALUES (\(session.id), \(session.user), \(session.pool), \(session.vm), \(session.publicPort),
                        \(session.clientAddress), \(session.state.rawValue), \(session.targetAddress), \(session.targetPort),
                        \(session.targetTLSPort), \(session.route.rawValue), \(session.createdAt), \(session.publicAddress))
                    """, logger: logger)
            }
            for group in snapshot.groups {
                try await db.run("INSERT INTO groups (name, created_at) VALUES (\(group.name), \(group.createdAt))", logger: logger)
                for member in group.members {
                    try await db.run(
                        "INSERT INTO group_members (group_name, user_name) VALUES (\(group.name), \(member))", logger: logger)
                }
            }
            for grant in snapshot.grants {
                try await db.run(
                    """
                    INSERT INTO pool_grants (pool_name, kind, principal)
                    VALUES (\(grant.pool), \(grant.grant.kind), \(grant.grant.principal))
                    """, logger: logger)
            }
            for (user, groups) in snapshot.directoryGroups {
                for group in groups {
                    try await db.run(
                        "INSERT INTO user_directory_groups (user_name, group_name) VALUES (\(user), \(group))", logger: logger)
                }
            }
            for event in snapshot.auditEvents {
                try await db.run(
                    """
                    INSERT INTO audit_events (id, at, actor, action, subject, client_address, succeeded, detail)
                    OVERRIDING SYSTEM VALUE
                    VALUES (\(event.id), \(event.at), \(event.actor), \(event.action.rawValue), \(event.subject),
                        \(event.clientAddress), \(event.succeeded), \(event.detail))
                    """, logger: logger)
            }
            // New entries go on after the copied ones.
            try await db.run(
                """
                SELECT setval(pg_get_serial_sequence('audit_events', 'id'),
                    (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_events), false)
                """, logger: logger)
        }
    }
}
