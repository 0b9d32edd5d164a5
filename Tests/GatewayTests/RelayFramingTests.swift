import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import Gateway

@Suite("Relay framing")
struct RelayFramingTests {
    @Test func maskedClientFramesReachTheTargetUnmasked() throws {
        let harness = try RelayHarness()
        harness.establish()
        try harness.sendFromClient(.binary, Array("hello ".utf8), fin: false)
        try harness.sendFromClient(.continuation, Array("spice".utf8))
        try harness.sendFromClient(.binary, Array("!".utf8))
        #expect(try harness.bytesToTarget() == Array("hello spice!".utf8))
    }

    @Test func bytesSentWhileDialingAreForwardedOnceConnected() throws {
        let harness = try RelayHarness()
        try harness.sendFromClient(.binary, [1, 2, 3])
        #expect(try harness.bytesToTarget().isEmpty)
        harness.establish()
        #expect(try harness.bytesToTarget() == [1, 2, 3])
    }

    @Test func targetBytesAreSplitIntoBinaryFramesOfAtMostMaxFrameSize() throws {
        let harness = try RelayHarness(settings: RelaySettings(maxFrameSize: 1024))
        harness.establish()
        let payload = (0..<2500).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try harness.target.writeInbound(ByteBuffer(bytes: payload))
        let frames = try harness.framesToClient()
        #expect(frames.map(\.data.readableBytes) == [1024, 1024, 452])
        #expect(frames.allSatisfy { $0.opcode == .binary && $0.fin && $0.maskKey == nil })
        #expect(frames.flatMap(\.payloadBytes) == payload)
    }

    @Test func pingIsAnsweredWithPongCarryingTheSameData() throws {
        let harness = try RelayHarness()
        harness.establish()
        try harness.sendFromClient(.ping, [9, 8, 7])
        let frames = try harness.framesToClient()
        #expect(frames.count == 1)
        #expect(frames.first?.opcode == .pong)
        #expect(frames.first?.payloadBytes == [9, 8, 7])
    }

    @Test func gatewayPingsEveryPingInterval() throws {
        let harness = try RelayHarness(settings: RelaySettings(pingInterval: .seconds(30)))
        harness.establish()
        harness.loop.advanceTime(by: .seconds(29))
        #expect(try harness.framesToClient().isEmpty)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(try harness.framesToClient().map(\.opcode) == [.ping])
        harness.loop.advanceTime(by: .seconds(30))
        #expect(try harness.framesToClient().map(\.opcode) == [.ping])
    }

    @Test func splittingHelperKeepsEveryByteInOrder() {
        var buffer = ByteBuffer()
        buffer.writeBytes(Array(repeating: 0xAB, count: 10))
        var sizes: [Int] = []
        WebSocketFraming.forEachFrame(of: buffer, maxFrameSize: 4) { sizes.append($0.data.readableBytes) }
        #expect(sizes == [4, 4, 2])
        sizes = []
        WebSocketFraming.forEachFrame(of: buffer, maxFrameSize: 10) { sizes.append($0.data.readableBytes) }
        #expect(sizes == [10])
    }

    @Test func closeReasonsAreTruncatedToFitAControlFrame() {
        let long = GatewayRefusal(closeCode: 4401, reason: String(repeating: "é", count: 100))
        let frame = WebSocketFraming.closeFrame(long, allocator: ByteBufferAllocator())
        #expect(frame.data.readableBytes <= 125)
        #expect(frame.closeCode == 4401)
    }
}
