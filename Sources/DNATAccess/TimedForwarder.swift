import Broker
import Firewall
import Foundation

/// A port forwarder that times every change it passes on, for `saffron_firewall_apply_seconds`.
struct TimedForwarder: PortForwarder {
    let forwarder: any PortForwarder
    let metrics: BrokerMetrics

    func rebuild(_ rules: [ForwardRule]) async throws {
        try await self.timed("rebuild") { try await forwarder.rebuild(rules) }
    }

    func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool {
        try await forwarder.reconcile(wanted)
    }

    func install(_ rule: ForwardRule) async throws {
        try await self.timed("install") { try await forwarder.install(rule) }
    }

    func remove(_ rule: ForwardRule) async throws {
        try await self.timed("remove") { try await forwarder.remove(rule) }
    }

    func forwardedSessions() async throws -> Int {
        try await forwarder.forwardedSessions()
    }

    var summary: String { forwarder.summary }

    func checkClientAddress(_ clientAddress: String) throws {
        try forwarder.checkClientAddress(clientAddress)
    }

    private func timed(_ operation: String, _ body: () async throws -> Void) async throws {
        let start = ContinuousClock.now
        do {
            try await body()
            metrics.firewallApplied(operation, took: ContinuousClock.now - start, succeeded: true)
        } catch {
            metrics.firewallApplied(operation, took: ContinuousClock.now - start, succeeded: false)
            throw error
        }
    }
}
