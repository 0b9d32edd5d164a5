import Gateway
import NIOCore
import NIOHTTP1
import Testing

/// Refusals as a browser sees them, over real sockets on 127.0.0.1.
@Suite("Gateway refusals over loopback")
struct GatewayRefusalLiveTests {
    @Test(arguments: GatewayDataPath.allCases) func unknownTokenGets4401AndTheTargetSeesNoConnection(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        try await withLiveGateway(path, resolver: TestTokenResolver()) { _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/unknownTokenUnknownToken")
            let close = try await client.receiveClose()
            #expect(close.code == 4401)
            try await client.waitForDisconnect()
        }
        #expect(echo.connectionCount == 0)
    }

    @Test(arguments: GatewayDataPath.allCases) func aTokenWorksOnlyOnce(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let first = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            try await first.send([42])
            #expect(try await first.receiveBytes(count: 1) == [42])
            let second = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            #expect(try await second.receiveClose().code == 4401)
            await first.close()
        }
        #expect(echo.connectionCount == 1)
    }

    @Test(arguments: GatewayDataPath.allCases) func wrongPathGets404WithoutUpgrade(path: GatewayDataPath) async throws {
        try await withLiveGateway(path, resolver: TestTokenResolver()) { _, port in
            for path in ["/", "/websockify", "/ws/short", "/ws/abcdefghijklmnop?host=127.0.0.1&port=22"] {
                await #expect {
                    _ = try await TestWebSocketClient.connect(port: port, path: path)
                } throws: { error in
                    (error as? TestWebSocketClient.UpgradeRefused)?.status == .notFound
                }
            }
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func unreachableTargetGets4502(path: GatewayDataPath) async throws {
        let closedPort = try await TestTCPServer.closedPort()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: closedPort))
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            let close = try await client.receiveClose()
            #expect(close.code == 4502)
            #expect(close.reason == "desktop unreachable")
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func closingASessionSends4410BeforeItsConnectionIsGone(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s-ends", host: "127.0.0.1", port: echo.port))
        let other = await resolver.issue(for: GatewayTarget(sessionID: "s-stays", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver) { gateway, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            let bystander = try await TestWebSocketClient.connect(port: port, path: "/ws/\(other)")
            try await client.send([1])
            _ = try await client.receiveBytes(count: 1)
            try await bystander.send([2])
            _ = try await bystander.receiveBytes(count: 1)
            #expect(await gateway.liveConnectionCount() == 2)

            #expect(await gateway.closeConnections(ofSession: "s-ends") == 1)
            // Returned only once the connection closed: the browser has its 4410 before the desktop is cut.
            #expect(await gateway.liveConnectionCount() == 1)
            let close = try await client.receiveClose(timeout: .seconds(10))
            #expect(close.code == 4410)
            #expect(close.reason == "session ended")
            try await client.waitForDisconnect(timeout: .seconds(10))

            try await bystander.send([3])
            #expect(try await bystander.receiveBytes(count: 1) == [3])
            await bystander.close()
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func idleConnectionGets4408(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        // A silent relay over real sockets: any other outcome has another code (4502 unreachable, 4401 token).
        // That activity pushes the deadline out is shown on an embedded channel with a controlled clock
        // (RelayCloseTests); here a loaded machine could not promise to get data through within the timeout.
        try await withLiveGateway(path, resolver: resolver, configure: { $0.idleTimeout = .seconds(1) }) { _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            #expect(try await client.receiveClose(timeout: .seconds(15)).code == 4408)
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func plainHTTPRequestToAWebSocketPathGets426(path: GatewayDataPath) async throws {
        try await withLiveGateway(path, resolver: TestTokenResolver()) { _, port in
            let response = try await RawTCPClient.exchange(
                port: port, sending: Array("GET /ws/abcdefghijklmnop HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            )
            #expect(String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.1 426"))
        }
    }
}
