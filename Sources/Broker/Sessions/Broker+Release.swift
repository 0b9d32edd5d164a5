import Foundation
import Logging
import Store

extension Broker {
    /// Ends a session: the VM goes back to the pool, the port is free, connected clients are cut and its access
    /// path closed.
    ///
    /// The store forgets the session first, so a crash midway leaves at worst an orphan rule, which the restore at
    /// start removes.
    /// - Parameters:
    ///   - user: who asks; nil for the local admin CLI or the broker itself. Non-admins may end only their own
    ///     sessions.
    ///   - reason: why, for the log, when no user asks (default: the local admin CLI).
    ///   - clientAddress: where the request came from, for the audit log.
    public func endSession(
        id: String, requestedBy user: UserRecord?, reason: String? = nil, from clientAddress: String? = nil
    ) async throws {
        if let user { _ = try await session(id: id, visibleTo: user) }
        // Its browser-console tokens and phone links go with it (the store deletes them with the session).
        let session = try await BrokerError.mapping { try await store.deleteSession(id: id) }
        for observer in sessionObservers { await observer.sessionEnded(id) }
        // Disconnect first, then close the access path (a DNAT rule and its tracked connections): together they cut
        // a live viewer at once.
        do {
            try await hypervisor.revokeTicket(on: try await vmRef(for: session))
        } catch {
            logger.warning("session \(id) ended but its SPICE ticket could not be revoked on \(session.vm): \(error)")
        }
        await changeAccess("close the access path", of: session) { try await $0.close(session) }
        if let pool = try? await store.pool(named: session.pool) { await resetIfNeeded(session.vm, of: pool) }
        upkeep.forgetSession(id)
        upkeep.nudge()
        metrics.sessionEnded(
            by: user.map { $0.name == session.user ? "user" : "admin" } ?? (reason == nil ? AuditLog.cliActor : AuditLog.brokerActor))
        let endedBy = user.map { $0.name == session.user ? "its user" : "admin \($0.name)" } ?? reason ?? "the local admin CLI"
        await audit.record(
            .sessionEnd, by: user?.name ?? (reason == nil ? AuditLog.cliActor : AuditLog.brokerActor), subject: id,
            from: clientAddress,
            "\(session.user)'s \(session.vm) of pool \(session.pool), port \(session.publicPort); ended by \(endedBy)")
        logger.info("ended session \(id) of \(session.user) (by \(endedBy)): \(session.vm) of pool \(session.pool) is free, port \(session.publicPort) released")
    }

    /// Makes the access paths match the store, at start: sessions from before brokers had their own address, or
    /// handed out on this broker's earlier address (the one it last reported as a node), become this broker's; its
    /// sessions caught halfway through starting are dropped; every access path then restores what the live sessions
    /// need (a forwarded session gets its rule back, orphans removed). Other brokers' sessions are theirs to forward.
    public func restoreForwarding() async throws {
        let former = try await store.nodes().first { $0.name == settings.nodeName }?.publicAddress
        let adopted = try await store.adoptSessions(
            publicAddress: settings.publicAddress, formerAddress: former == settings.publicAddress ? nil : former)
        if adopted > 0 {
            logger.notice("\(adopted) session(s) of an earlier address of this broker, or from before brokers had their own, are forwarded here")
        }
        for session in try await store.sessions()
        where session.state == .starting && session.publicAddress == settings.publicAddress {
            _ = try? await store.deleteSession(id: session.id)
            logger.notice("dropped session \(session.id) left starting by an earlier run")
        }
        let sessions = try await store.sessions()
        try await restoreAccess(sessions)
        logger.info("access restored for \(sessions.count) session(s): \(accessPaths.values.map(\.summary).sorted().joined(separator: "; "))")
    }
}
