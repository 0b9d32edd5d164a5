import CoreMetrics
import Gateway
import NIOCore
import Prometheus
import Testing

/// The CONNECT proxy through real sockets on 127.0.0.1: what a tunnel reaches, what is refused, and how tunnels end.
@Suite struct ConnectProxyLiveTests {
    /// An echo server standing in for a desktop, and an authorizer granting 127.0.0.1 a tunnel to it (session `s1`).
    static func grantedDesktop() async throws -> (TestTCPServer, TestTunnelAuthorizer) {
        let desktop = try await TestTCPServer.start(.echo)
        let authorizer = TestTunnelAuthorizer()
        authorizer.grant(target: ConnectTarget(host: "127.0.0.1", port: desktop.port), sessionID: "s1")
        return (desktop, authorizer)
    }

    @Test func aGrantedTunnelAnswers200AndRelaysBothWays() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer) { proxy, port in
            let client = try await TestProxyClient.connect(port: port)
            #expect(try await client.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            try await client.send("SPICE link message")
            #expect(try await client.read(count: 18) == "SPICE link message")
            #expect(await proxy.liveTunnelCount() == 1)
            await client.close()
            #expect(try await waitUntil { await proxy.liveTunnelCount() == 0 })
        }
    }

    @Test func bytesSentWithTheRequestReachTheDesktop() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            let target = "127.0.0.1:\(desktop.port)"
            try await client.send("CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n\r\nREDQ early link message")
            #expect(try await client.readHead() == "HTTP/1.1 200 Connection established")
            #expect(try await client.read(count: 23) == "REDQ early link message")
        }
    }

    @Test func aHalfClosedTunnelStillDeliversTheAnswer() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            _ = try await client.connect(to: "127.0.0.1:\(desktop.port)")
            try await client.send(String(repeating: "x", count: 100_000))
            client.finish()
            #expect(try await client.readToEnd().count == 100_000)
        }
    }

    @Test func endpointsNoSessionOfTheClientHasAreRefusedAndNeverReached() async throws {
        let desktop = try await TestTCPServer.start(.echo)
        let otherDesktop = try await TestTCPServer.start(.echo)
        let authorizer = TestTunnelAuthorizer()
        authorizer.grant(target: ConnectTarget(host: "127.0.0.1", port: desktop.port), sessionID: "mine")
        authorizer.grant(client: "192.0.2.9", target: ConnectTarget(host: "127.0.0.1", port: otherDesktop.port), sessionID: "theirs")
        try await withLiveProxy(authorizer) { _, port in
            for target in ["127.0.0.1:\(otherDesktop.port)", "127.0.0.1:\(port)", "127.0.0.2:\(desktop.port)", "192.0.2.1:22"] {
                let client = try await TestProxyClient.connect(port: port)
                #expect(try await client.connect(to: target) == "HTTP/1.1 403 Forbidden", "target \(target)")
                #expect(try await client.readToEnd() == "403 Forbidden\n")
            }
            #expect(otherDesktop.connectionCount == 0)
            #expect(desktop.connectionCount == 0)
        }
    }

    @Test func otherMethodsAndHostNamesAreRefusedWithoutAsking() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer) { _, port in
            let requests = [
                ("GET http://127.0.0.1:\(desktop.port)/ HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"),
                ("CONNECT localhost:\(desktop.port) HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
                ("CONNECT 127.0.0.1:99999 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
                ("CONNECT 127.0.0.1 HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
                ("NOT HTTP AT ALL\r\n\r\n", "HTTP/1.1 400 Bad Request"),
            ]
            for (request, status) in requests {
                let client = try await TestProxyClient.connect(port: port)
                try await client.send(request)
                #expect(try await client.readHead() == status, "request \(request.debugDescription)")
                await client.close()
            }
            #expect(authorizer.requests.isEmpty)
            #expect(desktop.connectionCount == 0)
        }
    }

    @Test func endingTheSessionClosesItsTunnelsOnly() async throws {
        let desktop = try await TestTCPServer.start(.echo)
        let otherDesktop = try await TestTCPServer.start(.echo)
        let authorizer = TestTunnelAuthorizer()
        authorizer.grant(target: ConnectTarget(host: "127.0.0.1", port: desktop.port), sessionID: "ending")
        authorizer.grant(target: ConnectTarget(host: "127.0.0.1", port: otherDesktop.port), sessionID: "staying")
        try await withLiveProxy(authorizer) { proxy, port in
            let ending = try await TestProxyClient.connect(port: port)
            let staying = try await TestProxyClient.connect(port: port)
            _ = try await ending.connect(to: "127.0.0.1:\(desktop.port)")
            _ = try await staying.connect(to: "127.0.0.1:\(otherDesktop.port)")
            #expect(await proxy.closeTunnels(ofSession: "ending") == 1)
            #expect(try await ending.readToEnd() == "")
            try await staying.send("still here")
            #expect(try await staying.read(count: 10) == "still here")
            await staying.close()
        }
    }

    @Test func aClientHoldsAtMostItsShareOfConnections() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer, configure: { $0.connectionsPerClient = 2 }) { _, port in
            let first = try await TestProxyClient.connect(port: port)
            let second = try await TestProxyClient.connect(port: port)
            #expect(try await first.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            #expect(try await second.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            let third = try await TestProxyClient.connect(port: port)
            #expect(try await third.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 429 Too Many Requests")
            await first.close()
            #expect(try await waitUntil {
                let again = try await TestProxyClient.connect(port: port)
                let status = try await again.connect(to: "127.0.0.1:\(desktop.port)")
                await again.close()
                return status == "HTTP/1.1 200 Connection established"
            })
            await second.close()
        }
    }

    @Test func anIdleTunnelIsClosed() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        try await withLiveProxy(authorizer, configure: { $0.idleTimeout = .milliseconds(300) }) { proxy, port in
            let client = try await TestProxyClient.connect(port: port)
            _ = try await client.connect(to: "127.0.0.1:\(desktop.port)")
            #expect(try await client.readToEnd() == "")
            #expect(try await waitUntil { await proxy.liveTunnelCount() == 0 })
        }
    }

    @Test func anUnreachableEndpointAnswers502() async throws {
        let closedPort = try await TestTCPServer.closedPort()
        let authorizer = TestTunnelAuthorizer()
        authorizer.grant(target: ConnectTarget(host: "127.0.0.1", port: closedPort), sessionID: "s1")
        try await withLiveProxy(authorizer) { _, port in
            let client = try await TestProxyClient.connect(port: port)
            #expect(try await client.connect(to: "127.0.0.1:\(closedPort)") == "HTTP/1.1 502 Bad Gateway")
        }
    }

    @Test func aTunnelsBytesAreCountedBothWays() async throws {
        let (desktop, authorizer) = try await Self.grantedDesktop()
        let registry = PrometheusCollectorRegistry()
        try await withLiveProxy(authorizer, metrics: PrometheusMetricsFactory(registry: registry)) { proxy, port in
            let client = try await TestProxyClient.connect(port: port)
            _ = try await client.connect(to: "127.0.0.1:\(desktop.port)")
            try await client.send(String(repeating: "x", count: 100_000))
            client.finish()
            #expect(try await client.readToEnd().count == 100_000)
            #expect(try await waitUntil { await proxy.liveTunnelCount() == 0 })
        }
        let lines = Set(registry.emitToString().split(separator: "\n").map(String.init))
        for expected in [
            #"saffron_gateway_bytes_total{gateway="proxy",direction="to_desktop"} 100000"#,
            #"saffron_gateway_bytes_total{gateway="proxy",direction="to_client"} 100000"#,
            #"saffron_gateway_connections_total{gateway="proxy"} 1"#,
        ] {
            #expect(lines.contains(expected), "missing \(expected) in \(lines.sorted())")
        }
    }
}

/// Runs a CONNECT proxy on 127.0.0.1 (any port) for the duration of `body`.
func withLiveProxy<T: Sendable>(
    _ authorizer: TestTunnelAuthorizer, configure: (inout ProxyConfiguration) -> Void = { _ in },
    metrics: any MetricsFactory = NOOPMetricsHandler.instance, _ body: (ConnectProxy, Int) async throws -> T
) async throws -> T {
    var configuration = ProxyConfiguration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let proxy = ConnectProxy(configuration: configuration, authorizer: authorizer, logger: .quiet, metrics: metrics)
    return try await withRunning(proxy, boundPort: proxy.boundPort) { port in try await body(proxy, port) }
}

@Suite struct ConnectTargetTests {
    @Test func addressLiteralsWithPortsParse() {
        #expect(ConnectTarget(authority: "192.0.2.7:5900") == ConnectTarget(host: "192.0.2.7", port: 5900))
        #expect(ConnectTarget(authority: "[2001:db8::7]:5901") == ConnectTarget(host: "2001:db8::7", port: 5901))
        #expect(ConnectTarget(host: "2001:db8::7", port: 5901).description == "[2001:db8::7]:5901")
    }

    @Test(arguments: [
        "localhost:5900", "example.org:443", "192.0.2.7", "192.0.2.7:", "192.0.2.7:0", "192.0.2.7:65536",
        "192.0.2.7:+80", "192.0.2.256:5900", "192.0.2:5900", "192.000.2.7:5900", "[2001:db8::7]5900",
        "[evil.example]:80", "192.0.2.7:5900/path", "",
    ])
    func anythingElseDoesNot(_ authority: String) {
        #expect(ConnectTarget(authority: authority) == nil)
    }
}
