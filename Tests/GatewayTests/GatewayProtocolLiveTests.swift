import Gateway
import Glibc
import Testing

/// The WebSocket protocol as a hand-written browser meets it over real sockets, on both data paths: how frames are
/// taken apart, answered and refused, and what reaches the desktop.
@Suite("Gateway protocol over loopback")
struct GatewayProtocolLiveTests {
    /// A desktop listening on 127.0.0.1 and a token for it.
    struct Desktop {
        let listener: BlockingSocket
        let token: String

        static func make(_ resolver: TestTokenResolver) async throws -> Desktop {
            let (listener, port) = try BlockingSocket.listening()
            let token = await resolver.issue(for: GatewayTarget(sessionID: "s1", host: "127.0.0.1", port: port))
            return Desktop(listener: listener, token: token)
        }

        /// The gateway's connection to the desktop.
        func accept() async throws -> BlockingSocket {
            try await offThePool { try self.listener.accept() }
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func earlyAndSplitFramesReachTheDesktopInOrder(path: GatewayDataPath) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await Desktop.make(resolver)
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let early = RawWebSocket.frame(opcode: 0x2, Array("early ".utf8))
            let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token, early: early) }
            let connection = try await desktop.accept()
            var on: CInt = 1
            setsockopt(browser.socket.descriptor, CInt(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<CInt>.size))
            let frames =
                RawWebSocket.frame(opcode: 0x2, Array("frag".utf8), fin: false)
                + RawWebSocket.frame(opcode: 0x0, Array("mented ".utf8))
                + RawWebSocket.frame(opcode: 0x2, Array("whole ".utf8))
                + RawWebSocket.frame(opcode: 0x2, [UInt8](repeating: 0x61, count: 300))
            try await offThePool { for byte in frames { try browser.send([byte]) } }
            let expected = Array("early fragmented whole ".utf8) + [UInt8](repeating: 0x61, count: 300)
            #expect(try await offThePool { try connection.receive(exactly: expected.count) } == expected)
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func pingsAreAnsweredAndNeverReachTheDesktop(path: GatewayDataPath) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await Desktop.make(resolver)
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token) }
            let connection = try await desktop.accept()
            try await offThePool {
                try browser.send(RawWebSocket.frame(opcode: 0x9, Array("hello".utf8)) + RawWebSocket.frame(opcode: 0x2, [7]))
            }
            #expect(try await offThePool { try browser.receiveFrame() } == .init(opcode: 0xA, payload: Array("hello".utf8)))
            #expect(try await offThePool { try connection.receive(exactly: 1) } == [7])
            try await offThePool { try browser.send(RawWebSocket.frame(opcode: 0x8, [0x03, 0xE8])) }
            #expect(try await offThePool { try browser.receiveFrame().closeCode } == 1000)
            #expect(try await offThePool { try connection.receiveUntilEnd() } == [])  // nothing but the payload
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func aBrowsersCloseIsAnsweredAndClosesBothEnds(path: GatewayDataPath) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await Desktop.make(resolver)
        try await withLiveGateway(path, resolver: resolver) { _, port in
            let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token) }
            let connection = try await desktop.accept()
            try await offThePool { try browser.send(RawWebSocket.frame(opcode: 0x8, [0x0F, 0xA1] + Array("bye".utf8))) }
            #expect(try await offThePool { try browser.receiveFrame().closeCode } == 4001)
            #expect(try await offThePool { try browser.receivesEnd() })
            #expect(try await offThePool { try connection.receiveUntilEnd() } == [])
        }
    }

    @Test(arguments: GatewayDataPath.allCases, [
        ("unmasked", RawWebSocket.frame(opcode: 0x2, [1, 2, 3], masked: false), UInt16(1002)),
        ("reserved bits", RawWebSocket.frame(opcode: 0x2, [1, 2, 3], reserved: 0x4), UInt16(1002)),
        ("unknown opcode", RawWebSocket.frame(opcode: 0x3, [1, 2, 3]), UInt16(1002)),
        ("long ping", RawWebSocket.frame(opcode: 0x9, [UInt8](repeating: 1, count: 126)), UInt16(1002)),
        ("oversized", Array(RawWebSocket.frame(opcode: 0x2, [UInt8](repeating: 1, count: 2048)).prefix(8)), UInt16(1009)),
    ])
    func aBrokenFrameClosesTheConnectionAndReachesNothing(path: GatewayDataPath, broken: (String, [UInt8], UInt16)) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await Desktop.make(resolver)
        try await withLiveGateway(path, resolver: resolver, configure: { $0.maxFrameSize = 1024 }) { _, port in
            let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token) }
            let connection = try await desktop.accept()
            try await offThePool { try browser.send(broken.1) }
            #expect(try await offThePool { try browser.receiveFrame().closeCode } == broken.2, "\(broken.0)")
            #expect(try await offThePool { try browser.receivesEnd() }, "\(broken.0)")
            #expect(try await offThePool { try connection.receiveUntilEnd() } == [], "\(broken.0)")
        }
    }

    @Test(arguments: GatewayDataPath.allCases) func shuttingDownDuringARedemptionSendsGoingAway(path: GatewayDataPath) async throws {
        let resolver = HeldTokenResolver()
        // A handshake deadline far off, so that only the shutdown closes the held connection on a loaded machine.
        let browser = try await withLiveGateway(path, resolver: resolver, configure: { $0.handshakeTimeout = .seconds(120) }) { _, port in
            let browser = try await offThePool {
                try RawWebSocket.upgrade(port: port, token: String(repeating: "held", count: 8))
            }
            #expect(try await waitUntil { await resolver.pending == 1 })
            return browser
        }
        #expect(try await offThePool { try browser.receiveFrame().closeCode } == 1001)
        await resolver.release()
    }

    @Test(arguments: GatewayDataPath.allCases) func theGatewayPingsOnItsInterval(path: GatewayDataPath) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await Desktop.make(resolver)
        try await withLiveGateway(path, resolver: resolver, configure: { $0.pingInterval = .milliseconds(200) }) { _, port in
            let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token) }
            let connection = try await desktop.accept()  // kept open: a desktop that hangs up ends the relay
            #expect(try await offThePool { try browser.receiveFrame() } == .init(opcode: 0x9, payload: []))
            withExtendedLifetime(connection) {}
        }
    }
}
