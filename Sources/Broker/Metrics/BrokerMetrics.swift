import CoreMetrics
import Foundation
import Store

/// What the broker counts and measures for Prometheus, through swift-metrics: handouts and their failures by code,
/// logins, session ends, firewall changes, and, refreshed when scraped, sessions and free VMs per pool.
///
/// The factory is handed in (rather than swift-metrics' global one), so each broker, and each test, has its own.
public struct BrokerMetrics: Sendable {
    let factory: any MetricsFactory

    /// Metrics that go nowhere (the CLI, tests that do not look).
    public init(factory: any MetricsFactory = NOOPMetricsHandler.instance) {
        self.factory = factory
    }

    /// A handout in `pool`: `outcome` is `ok` or the error's code (`no_free_vm`, `vm_start_failed`, …).
    func handout(pool: String, outcome: String) {
        Counter(label: "saffron_handouts_total", dimensions: [("pool", pool), ("outcome", outcome)], factory: factory)
            .increment()
    }

    /// A login attempt: `ok`, `failed`, or `throttled` (refused unchecked while its backoff runs).
    func login(outcome: String) {
        Counter(label: "saffron_logins_total", dimensions: [("outcome", outcome)], factory: factory).increment()
    }

    /// A session ended; `by` is `user`, `admin`, `cli` or `broker`.
    func sessionEnded(by: String) {
        Counter(label: "saffron_session_ends_total", dimensions: [("by", by)], factory: factory).increment()
    }

    /// How long one firewall change took; `operation` is `install`, `remove` or `rebuild`.
    public func firewallApplied(_ operation: String, took duration: Duration, succeeded: Bool) {
        Timer(
            label: "saffron_firewall_apply_seconds",
            dimensions: [("operation", operation), ("outcome", succeeded ? "ok" : "failed")], factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Sets a gauge: values that are read when scraped rather than counted as they happen.
    func set(_ name: String, _ dimensions: [(String, String)] = [], to value: Int) {
        Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }
}

extension Broker {
    /// Refreshes the gauges from the store and the presence tracker: sessions by state, sessions with a viewer
    /// attached, and each pool's VMs and free VMs. Called before each scrape.
    public func refreshGauges() async throws {
        let sessions = try await store.sessions()
        for state in SessionState.allCases {
            metrics.set("saffron_sessions", [("state", state.rawValue)], to: sessions.count { $0.state == state })
        }
        metrics.set("saffron_sessions_attached", to: try await presence(of: sessions).values.count(where: \.isAttached))
        for summary in try await store.poolSummaries() {
            metrics.set("saffron_pool_vms", [("pool", summary.pool.name)], to: summary.vmCount)
            metrics.set("saffron_pool_free_vms", [("pool", summary.pool.name)], to: summary.freeVMCount)
        }
    }
}
