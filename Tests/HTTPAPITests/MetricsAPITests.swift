import Broker
import BrokerTestSupport
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

/// `GET /metrics` over a broker whose metrics go to a Prometheus registry of the test's own.
@Suite struct MetricsAPITests {
    private func withMetricsAPI(
        token: String = "", _ body: @escaping @Sendable (any TestClientProtocol, BrokerFixture) async throws -> Void
    ) async throws {
        let registry = PrometheusCollectorRegistry()
        let fixture = try await BrokerFixture(metrics: BrokerMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        try await fixture.user("alice")
        let endpoint = MetricsEndpoint(token: token) {
            try await fixture.broker.refreshGauges()
            return registry.emitToBuffer()
        }
        let app = Application(router: APIRouter.build(broker: fixture.broker, accounts: fixture.accounts, metrics: endpoint))
        try await app.test(.live) { client in try await body(client, fixture) }
    }

    private func scrape(_ client: any TestClientProtocol, token: String? = nil) async throws -> (HTTPResponse.Status, String) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
            #expect(response.status != .ok || response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            return (response.status, String(buffer: response.body))
        }
    }

    @Test func handoutsLoginsSessionsAndFirewallChangesAreCounted() async throws {
        try await withMetricsAPI { client, fixture in
            let alice = try await client.login("alice")
            _ = try await client.call(.post, "/api/v1/login", token: nil, body: #"{"username":"alice","password":"nope"}"#)
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            #expect(created.status == .created)
            _ = try await client.call(.post, "/api/v1/pools/nowhere/desktop", token: alice)

            let (status, text) = try await scrape(client)
            #expect(status == .ok)
            let lines = Set(text.split(separator: "\n").map(String.init))  // gauges print as 1.0, counters as 1
            for expected in [
                #"saffron_logins_total{outcome="ok"} 1"#,
                #"saffron_logins_total{outcome="failed"} 1"#,
                #"saffron_handouts_total{pool="office",outcome="ok"} 1"#,
                #"saffron_handouts_total{pool="nowhere",outcome="pool_not_found"} 1"#,
                #"saffron_sessions{state="ready"} 1.0"#,
                #"saffron_sessions{state="starting"} 0.0"#,
                #"saffron_pool_vms{pool="office"} 3.0"#,
                #"saffron_pool_free_vms{pool="office"} 2.0"#,
                #"saffron_firewall_apply_seconds_count{operation="install",outcome="ok"} 1"#,
            ] {
                #expect(lines.contains(expected), "missing \(expected) in:\n\(text)")
            }

            let id = try #require(created.json["id"] as? String)
            #expect(try await client.call(.delete, "/api/v1/sessions/\(id)", token: alice).status == .noContent)
            let after = Set(try await scrape(client).1.split(separator: "\n").map(String.init))
            #expect(after.contains(#"saffron_sessions{state="ready"} 0.0"#))
            #expect(after.contains(#"saffron_pool_free_vms{pool="office"} 3.0"#))
            #expect(after.contains(#"saffron_session_ends_total{by="user"} 1"#))
            #expect(after.contains(#"saffron_firewall_apply_seconds_count{operation="remove",outcome="ok"} 1"#))
        }
    }

    @Test func aConfiguredTokenIsRequired() async throws {
        try await withMetricsAPI(token: "scrape-secret") { client, _ in
            for wrong in [nil, "scrape-secreT", "scrape-secret-and-more", "scrape"] {
                let (status, text) = try await scrape(client, token: wrong)
                #expect(status == .unauthorized, "\(String(describing: wrong))")
                #expect(text.contains(#""code":"unauthorized""#), "\(text)")
            }
            let (status, text) = try await scrape(client, token: "scrape-secret")
            #expect(status == .ok && text.contains("saffron_sessions"))
        }
    }
}
