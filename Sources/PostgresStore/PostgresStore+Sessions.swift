import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func claimDesktop(_ claim: DesktopClaim) async throws -> ClaimResult {
        try await transaction(retryingConflicts: true) { db, logger in
            guard let pool = try await Self.lockPool(db, logger, named: claim.pool) else {
                throw StoreError.poolNotFound(claim.pool)
            }
            let held = try await db.rows(
                """
                SELECT * FROM sessions WHERE pool_name = \(claim.pool) AND user_name = \(claim.user) ORDER BY created_at, id
                """, logger: logger
            ).map(SessionRecord.init)
            if !claim.another, let first = held.first { return .existing(first) }
            try ClaimRules.checkSessionLimit(pool, held: held.count)
            let vm = try await Self.chooseVM(db, logger, pool: pool, claim: claim)
            // Ports are leased per gateway address; sessions without an address (from before addresses) and claims
            // without one count against every address, so adopting them later never leases a port twice.
            let leased = Set(try await db.values(
                Int.self,
                """
                SELECT public_port FROM sessions
                WHERE \(claim.publicAddress)::text IS NULL OR COALESCE(public_address, '') IN (\(claim.publicAddress), '')
                """,
                logger: logger))
            guard let port = ClaimRules.freePort(in: claim.portRange, leased: leased) else { throw StoreError.noFreePort }
            if pool.desktopMode == .persistent {
                try await db.run(
                    "UPDATE vms SET assigned_user = \(claim.user) WHERE pool_name = \(pool.name) AND name = \(vm)",
                    logger: logger)
            }
            let session = SessionRecord(
                id: claim.newSessionID, user: claim.user, pool: claim.pool, vm: vm, publicPort: port,
                clientAddress: claim.clientAddress, state: .starting, route: pool.policy.consoleRoute, createdAt: claim.now,
                publicAddress: claim.publicAddress)
            let inserted = try await db.rows(
                """
                INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state, route, created_at,
                    public_address)
                VALUES (\(session.id), \(session.user), \(session.pool), \(session.vm), \(session.publicPort),
                    \(session.clientAddress), \(session.state.rawValue), \(session.route.rawValue), \(session.createdAt),
                    \(session.publicAddress))
                RETURNING *
                """, logger: logger)
            return .created(try inserted.first.map(SessionRecord.init) ?? session)
        }
    }

    public func markReady(
        sessionID: String, targetAddress: String, targetPort: Int, targetTLSPort: Int?
    ) async throws -> SessionRecord {
        try await updateSession(sessionID) { db, logger in
            try await db.rows(
                """
                UPDATE sessions SET state = \(SessionState.ready.rawValue), target_address = \(targetAddress),
                    target_port = \(targetPort), target_tls_port = \(targetTLSPort)
                WHERE id = \(sessionID) RETURNING *
                """, logger: logger)
        }
    }

    public func updateClientAddress(sessionID: String, clientAddress: String) async throws -> SessionRecord {
        try await updateSession(sessionID) { db, logger in
            try await db.rows(
                "UPDATE sessions SET client_address = \(clientAddress) WHERE id = \(sessionID) RETURNING *", logger: logger)
        }
    }

    public func session(id: String) async throws -> SessionRecord? {
        try await read { db, logger in
            try await db.row("SELECT * FROM sessions WHERE id = \(id)", logger: logger).map(SessionRecord.init)
        }
    }

    public func sessions() async throws -> [SessionRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM sessions ORDER BY created_at, id", logger: logger).map(SessionRecord.init)
        }
    }

    public func sessions(targetAddress address: String, targetPort port: Int) async throws -> [SessionRecord] {
        try await read { db, logger in
            try await db.rows(
                """
                SELECT * FROM sessions WHERE target_address = \(address) AND \(port) IN (target_port, target_tls_port)
                ORDER BY created_at, id
                """, logger: logger
            ).map(SessionRecord.init)
        }
    }

    public func adoptSessions(publicAddress: String, formerAddress: String?) async throws -> Int {
        try await statement { db, logger in
            try await db.count(
                """
                UPDATE sessions SET public_address = \(publicAddress)
                WHERE public_address IS NULL OR public_address = \(formerAddress) RETURNING 1
                """, logger: logger)
        }
    }

    public func deleteSession(id: String) async throws -> SessionRecord {
        // One statement: the session goes, and a volatile pool's VM is marked for its reset with it.
        try await statement { db, logger in
            guard
                let session = try await db.row(
                    """
                    WITH ended AS (DELETE FROM sessions WHERE id = \(id) RETURNING *),
                        reset AS (
                            UPDATE vms SET needs_reset = true FROM ended, pools
                            WHERE vms.pool_name = ended.pool_name AND vms.name = ended.vm_name
                                AND pools.name = ended.pool_name AND pools.desktop_mode = \(DesktopMode.volatile.rawValue))
                    SELECT * FROM ended
                    """, logger: logger
                ).map(SessionRecord.init)
            else { throw StoreError.sessionNotFound(id) }
            return session
        }
    }

    /// Runs one `UPDATE ... RETURNING *` of a session and returns the session; throws `sessionNotFound`.
    private func updateSession(
        _ id: String, _ update: @Sendable (PostgresConnection, Logger) async throws -> [PostgresRandomAccessRow]
    ) async throws -> SessionRecord {
        try await statement { db, logger in
            guard let row = try await update(db, logger).first else { throw StoreError.sessionNotFound(id) }
            return try SessionRecord(row)
        }
    }
}
