import Foundation
import GRDB

extension SQLiteStore {
    public func snapshot() async throws -> StoreSnapshot {
        try await read { db in
            var snapshot = StoreSnapshot()
            snapshot.users = try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY name").map(UserRecord.init(row:))
            snapshot.tokens = try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY hash").map { row in
                StoreSnapshot.Token(hash: row["hash"], user: row["user_name"], expiresAt: row["expires_at"])
            }
            snapshot.pools = try Row.fetchAll(db, sql: "SELECT * FROM pools ORDER BY name").map(PoolRecord.init(row:))
            snapshot.vms = try Row.fetchAll(db, sql: "SELECT * FROM vms ORDER BY pool_name, name").map(VMRecord.init(row:))
            snapshot.sessions = try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY created_at, id").map(SessionRecord.init(row:))
            let members = try Row.fetchAll(db, sql: "SELECT group_name, user_name FROM group_members ORDER BY user_name")
                .reduce(into: [String: [String]]()) { $0[$1["group_name"], default: []].append($1["user_name"]) }
            snapshot.groups = try Row.fetchAll(db, sql: "SELECT * FROM groups ORDER BY name").map { row in
                GroupRecord(name: row["name"], members: members[row["name"]] ?? [], createdAt: row["created_at"])
            }
            snapshot.grants = try Row.fetchAll(db, sql: "SELECT * FROM pool_grants ORDER BY pool_name, kind, principal")
                .compactMap { row in
                    PoolGrant(kind: row["kind"], principal: row["principal"]).map { StoreSnapshot.Grant(pool: row["pool_name"], grant: $0) }
                }
            snapshot.directoryGroups = try Row.fetchAll(
                db, sql: "SELECT user_name, group_name FROM user_directory_groups ORDER BY user_name, group_name"
            ).reduce(into: [:]) { $0[$1["user_name"], default: []].append($1["group_name"]) }
            snapshot.auditEvents = try Row.fetchAll(db, sql: "SELECT * FROM audit_events ORDER BY id").map(AuditEvent.init(row:))
            return snapshot
        }
    }

    public func restore(_ snapshot: StoreSnapshot) async throws {
        try await write { db in
            let held = try Int.fetchOne(
                db,
                sql: "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM pools) + (SELECT COUNT(*) FROM groups)")
            guard held == 0 else { throw StoreError.notEmpty }
            for user in snapshot.users {
                try db.execute(
                    sql: "INSERT INTO users (name, password_hash, is_admin, is_auditor, created_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [user.name, user.passwordHash, user.isAdmin, user.isAuditor, user.createdAt])
            }
            for token in snapshot.tokens {
                try db.execute(
                    sql: "INSERT INTO tokens (hash, user_name, expires_at) VALUES (?, ?, ?)",
                    arguments: [token.hash, token.user, token.expiresAt])
            }
            for pool in snapshot.pools { try Self.insertPool(db, pool) }
            for vm in snapshot.vms {
                try db.execute(
                    sql: """
                        INSERT INTO vms (name, pool_name, added_at, assigned_user, provisioned, needs_reset, broken_reason,
                            connect_uri)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        vm.name, vm.pool, vm.addedAt, vm.assignedUser, vm.isProvisioned, vm.needsReset, vm.brokenReason,
                        vm.connectURI,
                    ])
            }
            for session in snapshot.sessions {
                try db.execute(
                    sql: """
                        INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state,
                            target_address, target_port, target_tls_port, route, created_at, public_address)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        session.id, session.user, session.pool, session.vm, session.publicPort, session.clientAddress,
                        session.state.rawValue, session.targetAddress, session.targetPort, session.targetTLSPort,
                        session.route.rawValue, session.createdAt, session.publicAddress,
                    ])
            }
            for group in snapshot.groups {
                try db.execute(sql: "INSERT INTO groups (name, created_at) VALUES (?, ?)", arguments: [group.name, group.createdAt])
                for member in group.members {
                    try db.execute(
                        sql: "INSERT INTO group_members (group_name, user_name) VALUES (?, ?)", arguments: [group.name, member])
                }
            }
            for grant in snapshot.grants {
                try db.execute(
                    sql: "INSERT INTO pool_grants (pool_name, kind, principal) VALUES (?, ?, ?)",
                    arguments: [grant.pool, grant.grant.kind, grant.grant.principal])
            }
            for (user, groups) in snapshot.directoryGroups {
                for group in groups {
                    try db.execute(
                        sql: "INSERT INTO user_directory_groups (user_name, group_name) VALUES (?, ?)", arguments: [user, group])
                }
            }
            for event in snapshot.auditEvents {
                try db.execute(
                    sql: """
                        INSERT INTO audit_events (id, at, actor, action, subject, client_address, succeeded, detail)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        event.id, event.at, event.actor, event.action.rawValue, event.subject, event.clientAddress,
                        event.succeeded, event.detail,
                    ])
            }
        }
    }
}
