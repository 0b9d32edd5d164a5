import Broker
import CoreMetrics
import Gateway
import HTTPAPI
import Prometheus

extension Components {
    /// A swift-metrics factory writing to `registry`, with histogram buckets fitted to what the broker times.
    static func metricsFactory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        // A firewall change takes from a fraction of a millisecond (nftables in-process) to a second (iptables with
        // tens of thousands of rules).
        factory.durationHistogramBuckets["saffron_firewall_apply_seconds"] = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        return factory
    }

    /// `GET /metrics`: refreshes the gauges (sessions, free VMs per pool, live gateway connections) and renders the
    /// registry; behind `metrics.token` when the config sets one.
    public func metricsEndpoint() -> MetricsEndpoint {
        let (broker, gateway, proxy, spiceGateway, registry, factory) =
            (self.broker, self.gateway, self.proxy, self.spiceGateway, self.metricsRegistry, self.metricsFactory)
        return MetricsEndpoint(token: config.metrics.token) {
            try await broker.refreshGauges()
            Gauge(label: "saffron_gateway_live_connections", dimensions: [("gateway", "websocket")], factory: factory)
                .record(await gateway.liveConnectionCount())
            if let proxy {
                Gauge(label: "saffron_gateway_live_connections", dimensions: [("gateway", "proxy")], factory: factory)
                    .record(await proxy.liveTunnelCount())
            }
            if let spiceGateway {
                Gauge(label: "saffron_gateway_live_connections", dimensions: [("gateway", "spice")], factory: factory)
                    .record(await spiceGateway.liveConnectionCount())
            }
            return registry.emitToBuffer()
        }
    }
}
