import Foundation
import Store

/// Which firewall backend forwards the public ports, and whether it works on this host.
public struct FirewallReport: Sendable, Equatable {
    /// The backend and what it owns, e.g. `iptables (chain SAFFRON in table nat)`.
    public var backend: String
    /// Whether the backend answered.
    public var ready: Bool
    /// Sessions the backend forwards now; null when it did not answer.
    public var forwarded: Int?
    /// Sessions the store calls live.
    public var liveSessions: Int
    /// Why the backend did not answer; null when it did.
    public var error: String?

    private enum CodingKeys: String, CodingKey { case backend, ready, forwarded, liveSessions, error }
}

extension Broker {
    /// Checks the access paths (the firewall's forwarding rules) against the live sessions now, as upkeep does every
    /// round, and rebuilds what was flushed or added behind the broker's back; true when it had to.
    @discardableResult
    public func reconcileFirewall(by actor: String = AuditLog.cliActor) async throws -> Bool {
        let drifted: Bool
        do {
            drifted = try await BrokerError.mapping { try await reconcileAccess() }
        } catch let error as BrokerError {
            throw error
        } catch {
            throw BrokerError.forwarding("Could not check the firewall against the live sessions: \(error)")
        }
        await audit.record(.firewallReconcile, by: actor, subject: try accessPath(for: .direct).summary, drifted ? "rules rebuilt" : "already in step")
        return drifted
    }

    /// The firewall backend's state, as the `direct` route's access path reports it: whether it works, and how many
    /// sessions it forwards against the store's count.
    public func firewallReport() async throws -> FirewallReport {
        let live = try await store.sessions().count
        let forwarding = try accessPath(for: .direct)
        var report = FirewallReport(backend: forwarding.summary, ready: false, liveSessions: live)
        do {
            report.forwarded = try await forwarding.servedSessions()
            report.ready = true
        } catch {
            report.error = "\(error)"
        }
        return report
    }
}
