import Gateway
import NIOCore
import Testing

/// Real sockets on 127.0.0.1: browser-like client → gateway → echo target and back.
@Suite("Gateway relay over loopback")
struct GatewayRelayLiveTests {
    @Test(arguments: GatewayDataPath.allCases) func smallMessagesEchoThroughAndBinaryIsAnswered(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver) { gateway, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            #expect(client.subprotocol == "binary")
            for message in ["REDQ", "hello", String(repeating: "x", count: 1000)] {
                try await client.send(Array(message.utf8))
                #expect(try await client.receiveBytes(count: message.utf8.count) == Array(message.utf8))
            }
            #expect(await gateway.liveConnectionCount() == 1)
            try await client.sendClose()
            #expect(try await client.receiveClose().code == 1000)
            try await client.waitForDisconnect()
        }
        #expect(await resolver.origins == ["http://127.0.0.1"])
    }

    @Test(arguments: GatewayDataPath.allCases) func clientWithoutSubprotocolIsServedToo(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)", subprotocols: [])
            #expect(client.subprotocol == nil)
            try await client.send([1, 2, 3])
            #expect(try await client.receiveBytes(count: 3) == [1, 2, 3])
            await client.close()
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func multiMegabyteTransferArrivesIntact(path: GatewayDataPath) async throws {
        let echo = try await TestTCPServer.start()
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: echo.port))
        try await withLiveGateway(path, resolver: resolver, configure: { $0.bufferLimit = 64 * 1024; $0.maxFrameSize = 128 * 1024 }) {
            _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            var generator = SplitMix(seed: 42)
            let total = 8 << 20
            let payload = (0..<total).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let chunk = 100_000
            for start in stride(from: 0, to: total, by: chunk) {
                client.write(ByteBuffer(bytes: payload[start..<min(start + chunk, total)]))
            }
            let received = try await client.receiveBytes(count: total, timeout: .seconds(60))
            #expect(received.count == total)
            #expect(received == payload)
            await client.close()
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func targetHangingUpClosesWith1000AfterItsBytes(path: GatewayDataPath) async throws {
        let target = try await TestTCPServer.start(.greetAndClose(Array("REDQ".utf8)))
        let resolver = TestTokenResolver()
        let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: target.port))
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let client = try await TestWebSocketClient.connect(port: port, path: "/ws/\(token)")
            #expect(try await client.receiveBytes(count: 4) == Array("REDQ".utf8))
            #expect(try await client.receiveClose().code == 1000)
            try await client.waitForDisconnect()
        }
    }
}

/// A deterministic byte generator for content checks.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
