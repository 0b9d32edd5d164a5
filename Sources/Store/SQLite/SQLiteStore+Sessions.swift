import Foundation
import GRDB

extension SQLiteStore {
    public func claimDesktop(_ claim: DesktopClaim) async throws -> ClaimResult {
        try await write { db in
            guard let pool = try Self.fetchPool(db, named: claim.pool) else { throw StoreError.poolNotFound(claim.pool) }
            let held = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM sessions WHERE pool_name = ? AND user_name = ?",
                arguments: [claim.pool, claim.user]) ?? 0
            if !claim.another, held > 0, let first = try Self.fetchSession(
                db, where: "pool_name = ? AND user_name = ? ORDER BY created_at, id", arguments: [claim.pool, claim.user])
            {
                return .existing(first)
            }
            try ClaimRules.checkSessionLimit(pool, held: held)
            let vm = try Self.chooseVM(db, pool: pool, claim: claim)
            // Ports are leased per gateway address; sessions without an address (from before addresses) and claims
            // without one count against every address, so adopting them later never leases a port twice.
            let leased = Set(try Int.fetchAll(
                db, sql: "SELECT public_port FROM sessions WHERE ? IS NULL OR COALESCE(public_address, '') IN (?, '')",
                arguments: [claim.publicAddress, claim.publicAddress]))
            guard let port = ClaimRules.freePort(in: claim.portRange, leased: leased) else { throw StoreError.noFreePort }
            if pool.desktopMode == .persistent {
                try db.execute(
                    sql: "UPDATE vms SET assigned_user = ? WHERE pool_name = ? AND name = ?",
                    arguments: [claim.user, pool.name, vm])
            }
            let session = SessionRecord(
                id: claim.newSessionID, user: claim.user, pool: claim.pool, vm: vm, publicPort: port,
                clientAddress: claim.clientAddress, state: .starting, route: pool.policy.consoleRoute, createdAt: claim.now,
                publicAddress: claim.publicAddress)
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state, route,
                        created_at, public_address)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.id, session.user, session.pool, session.vm, session.publicPort, session.clientAddress,
                    session.state.rawValue, session.route.rawValue, session.createdAt, session.publicAddress,
                ])
            return .created(try Self.fetchSession(db, where: "id = ?", arguments: [session.id]) ?? session)
        }
    }

    public func markReady(
        sessionID: String, targetAddress: String, targetPort: Int, targetTLSPort: Int?
    ) async throws -> SessionRecord {
        try await write { db in
            try db.execute(
                sql: "UPDATE sessions SET state = ?, target_address = ?, target_port = ?, target_tls_port = ? WHERE id = ?",
                arguments: [SessionState.ready.rawValue, targetAddress, targetPort, targetTLSPort, sessionID])
            guard let session = try Self.fetchSession(db, where: "id = ?", arguments: [sessionID]) else {
                throw StoreError.sessionNotFound(sessionID)
            }
            return session
        }
    }

    public func updateClientAddress(sessionID: String, clientAddress: String) async throws -> SessionRecord {
        try await write { db in
            try db.execute(sql: "UPDATE sessions SET client_address = ? WHERE id = ?", arguments: [clientAddress, sessionID])
            guard let session = try Self.fetchSession(db, where: "id = ?", arguments: [sessionID]) else {
                throw StoreError.sessionNotFound(sessionID)
            }
            return session
        }
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await read { db in try Self.fetchSession(db, where: "id = ?", arguments: [id]) }
    }

    public func sessions() async throws -> [SessionRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY created_at, id").map(SessionRecord.init(row:))
        }
    }

    public func sessions(targetAddress address: String, targetPort port: Int) async throws -> [SessionRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM sessions WHERE target_address = ? AND ? IN (target_port, target_tls_port) ORDER BY created_at, id",
                arguments: [address, port]
            ).map(SessionRecord.init(row:))
        }
    }

    public func adoptSessions(publicAddress: String, formerAddress: String?) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE sessions SET public_address = ? WHERE public_address IS NULL OR public_address = ?",
                arguments: [publicAddress, formerAddress])
            return db.changesCount
        }
    }

    public func deleteSession(id: String) async throws -> SessionRecord {
        try await write { db in
            guard let session = try Self.fetchSession(db, where: "id = ?", arguments: [id]) else {
                throw StoreError.sessionNotFound(id)
            }
            try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id])
            if try Self.fetchPool(db, named: session.pool)?.desktopMode == .volatile {
                try db.execute(
                    sql: "UPDATE vms SET needs_reset = 1 WHERE pool_name = ? AND name = ?",
                    arguments: [session.pool, session.vm])
            }
            return session
        }
    }

    static func fetchSession(_ db: Database, where condition: String, arguments: StatementArguments) throws -> SessionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE \(condition)", arguments: arguments).map(SessionRecord.init(row:))
    }
}

extension SessionRecord {
    init(row: Row) {
        self.init(
            id: row["id"], user: row["user_name"], pool: row["pool_name"], vm: row["vm_name"],
            publicPort: row["public_port"], clientAddress: row["client_address"],
            state: SessionState(rawValue: row["state"]) ?? .starting,
            targetAddress: row["target_address"], targetPort: row["target_port"], targetTLSPort: row["target_tls_port"],
            route: ConsoleRoute(rawValue: row["route"]), createdAt: row["created_at"],
            publicAddress: row["public_address"])
    }
}
