import Gateway
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

/// The listener's robustness and its life as a `Service`.
@Suite("Gateway lifecycle over loopback")
struct GatewayLifecycleLiveTests {
    @Test(arguments: GatewayDataPath.allCases) func listenerSurvivesAGarbageClient(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver) { _, port in
            var generator = SplitMix(seed: 7)
            let garbage = (0..<4096).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try await RawTCPClient.exchange(port: port, sending: garbage)  // returns once the gateway hangs up
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            try await client.send([1, 2, 3])
            #expect(try await client.receiveBytes(count: 3) == [1, 2, 3])
            await client.close()
        }
    }

    @Test func gracefulShutdownClosesConnectionsAndTheListener() async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        let gateway = WebSocketGateway(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: 0), resolver: resolver, logger: .quiet
        )
        let group = ServiceGroup(configuration: .init(services: [gateway], logger: .quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await gateway.boundPort()
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            try await client.send([5])
            _ = try await client.receiveBytes(count: 1)

            await group.triggerGracefulShutdown()
            #expect(try await client.receiveClose().code == 1001)
            try await tasks.waitForAll()  // run() returned
            #expect(await gateway.liveConnectionCount() == 0)

            await #expect(throws: (any Error).self) {
                _ = try await RawTCPClient.exchange(port: port, sending: [])
            }
        }
    }

    @Test func boundPortFailsWhenBindingFails() async throws {
        let taken = try await TestTCPServer.start()
        let gateway = WebSocketGateway(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: taken.port), resolver: TestTokenResolver(),
            logger: .quiet
        )
        await #expect(throws: (any Error).self) { try await gateway.run() }
        await #expect(throws: (any Error).self) { _ = try await gateway.boundPort() }
    }
}
