import CoreMetrics

/// What a gateway counts for Prometheus: bytes relayed each way (`saffron_gateway_bytes_total`) and connections
/// that reached their desktop (`saffron_gateway_connections_total`), labelled with the gateway (`websocket`,
/// `proxy`).
struct RelayMetrics: Sendable {
    /// Bytes from the client (browser, viewer) to the desktop.
    let toDesktop: Counter
    /// Bytes from the desktop to the client.
    let toClient: Counter
    /// Connections that reached their desktop.
    let opened: Counter

    init(gateway: String, factory: any MetricsFactory) {
        func bytes(_ direction: String) -> Counter {
            Counter(
                label: "saffron_gateway_bytes_total", dimensions: [("gateway", gateway), ("direction", direction)],
                factory: factory)
        }
        self.toDesktop = bytes("to_desktop")
        self.toClient = bytes("to_client")
        self.opened = Counter(label: "saffron_gateway_connections_total", dimensions: [("gateway", gateway)], factory: factory)
    }

    /// Counters that go nowhere.
    static let none = RelayMetrics(gateway: "none", factory: NOOPMetricsHandler.instance)
}
