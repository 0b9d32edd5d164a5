import Foundation
import Logging
import Store

extension Broker {
    /// Ends the pool's sessions that nobody uses, as its policy says: no viewer attached within the attach window
    /// after the handout (or the last ticket), or the viewer left longer ago than the disconnect grace. A persistent
    /// desktop stays its user's; a volatile one is reset.
    /// `vms` are the pool's VMs, to know where each lives.
    func reclaimUnusedSessions(of pool: PoolRecord, _ sessions: [SessionRecord], vms: [VMRecord], now: Date) async {
        let hosts = Dictionary(vms.map { ($0.name, Self.ref($0, of: pool).connectURI) }, uniquingKeysWith: { first, _ in first })
        for session in sessions where session.state == .ready {
            let vm = VMRef(connectURI: hosts[session.vm] ?? pool.connectURI, domain: session.vm)
            guard let reason = reclaimReason(session, on: vm, of: pool, now: now) else { continue }
            do {
                try await endSession(id: session.id, requestedBy: nil, reason: "the pool's policy: \(reason)")
            } catch let error as BrokerError where error.code == .sessionNotFound {
                continue  // ended meanwhile (by its user, or by reconciliation this round)
            } catch {
                logger.warning("could not reclaim session \(session.id): \(error)")
            }
        }
    }

    /// Why the session should be taken back now, or nil while it is in use or within its windows.
    func reclaimReason(_ session: SessionRecord, on vm: VMRef, of pool: PoolRecord, now: Date) -> String? {
        let presence = presence.presence(of: vm)
        guard !presence.isAttached else { return nil }
        let ticket = upkeep.lastTicket(session: session.id)
        if let changed = presence.changedAt, changed >= session.createdAt {
            guard let grace = pool.policy.disconnectGraceSeconds else { return nil }
            let quietSince = [changed, ticket ?? changed, upkeep.startedAt].max()!
            guard now.timeIntervalSince(quietSince) > Double(grace) else { return nil }
            return "its viewer left more than \(grace) s ago"
        }
        guard let window = pool.policy.attachWindowSeconds else { return nil }
        let quietSince = [session.createdAt, ticket ?? session.createdAt, upkeep.startedAt].max()!
        guard now.timeIntervalSince(quietSince) > Double(window) else { return nil }
        return "no viewer attached within \(window) s"
    }
}
