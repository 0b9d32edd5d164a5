import Foundation
import Logging
import Store

extension Broker {
    /// How long a handout may stay half-done (its session `starting`) before upkeep takes it back, whoever runs it:
    /// longer than any handout takes, a guest's shutdown wait included.
    static let abandonedHandoutLimit: TimeInterval = 600

    /// Takes back the pool's sessions whose handout nobody is finishing: still starting, and handed out by a broker
    /// that has since gone silent or started again (it was killed mid-handout), or started longer ago than
    /// `abandonedHandoutLimit`. Their VM and port go back to the pool as for any ended session.
    func takeBackAbandonedHandouts(of pool: PoolRecord, _ sessions: [SessionRecord], nodes: () async throws -> [NodeRecord], now: Date) async {
        let starting = sessions.filter { $0.state == .starting }
        guard !starting.isEmpty else { return }
        let known: [NodeRecord]
        do {
            known = try await nodes()
        } catch {
            logger.warning("could not check the handouts under way in pool \(pool.name): \(error)")
            return
        }
        for session in starting {
            guard let reason = abandonment(of: session, nodes: known, now: now) else { continue }
            do {
                try await endSession(id: session.id, requestedBy: nil, reason: "its handout was abandoned: \(reason)")
            } catch let error as BrokerError where error.code == .sessionNotFound {
                continue  // finished or ended meanwhile
            } catch {
                logger.warning("could not take back the abandoned handout \(session.id) of pool \(pool.name): \(error)")
            }
        }
    }

    /// Why nobody will finish the session's handout, or nil while someone may.
    func abandonment(of session: SessionRecord, nodes: [NodeRecord], now: Date) -> String? {
        if now.timeIntervalSince(session.createdAt) > Self.abandonedHandoutLimit {
            return "still starting after \(Int(Self.abandonedHandoutLimit)) s"
        }
        guard let address = session.publicAddress, address != settings.publicAddress,
            let node = nodes.filter({ $0.publicAddress == address }).max(by: { $0.lastSeen < $1.lastSeen })
        else { return nil }
        if now.timeIntervalSince(node.lastSeen) > Self.nodeSilenceLimit {
            return "broker \(node.name) has been silent since \(node.lastSeen)"
        }
        if node.startedAt > session.createdAt {
            return "broker \(node.name) started again since"
        }
        return nil
    }
}
