import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

@testable import Gateway

@Suite("Relay closing")
struct RelayCloseTests {
    @Test func clientCloseClosesTheTargetAndIsAnswered() throws {
        let harness = try RelayHarness()
        harness.establish()
        try harness.sendFromClient(.connectionClose, [0x03, 0xE8])  // 1000
        let frames = try harness.framesToClient()
        #expect(frames.map(\.opcode) == [.connectionClose])
        #expect(frames.first?.closeCode == 1000)
        #expect(!harness.target.isActive)
        #expect(!harness.client.isActive)
    }

    @Test func targetEOFSendsClose1000ThenClosesOnTheAnswer() throws {
        let harness = try RelayHarness()
        harness.establish()
        harness.target.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try harness.framesToClient().map(\.closeCode) == [1000])
        #expect(harness.client.isActive)
        try harness.sendFromClient(.connectionClose, [0x03, 0xE8])
        #expect(!harness.client.isActive)
        #expect(!harness.target.isActive)
    }

    @Test func oversizedFrameClosesWith1009() throws {
        let harness = try RelayHarness(settings: RelaySettings(maxFrameSize: 1024))
        harness.establish()
        try harness.sendFromClient(.binary, Array(repeating: 1, count: 2000))
        #expect(try harness.framesToClient().map(\.closeCode) == [1009])
        #expect(!harness.client.isActive)
        #expect(!harness.target.isActive)
        #expect(try harness.bytesToTarget().isEmpty)
    }

    @Test func unmaskedClientFrameClosesWith1002() throws {
        let harness = try RelayHarness()
        harness.establish()
        try harness.sendFromClient(.binary, [1, 2, 3], masked: false)
        #expect(try harness.framesToClient().map(\.closeCode) == [1002])
        #expect(!harness.client.isActive)
    }

    @Test func refusedTokenClosesWithTheRefusalsCodeAndNeverDials() throws {
        let harness = try RelayHarness()
        harness.dialer.redeemPromise?.fail(GatewayRefusal.unknownToken())
        let frames = try harness.framesToClient()
        #expect(frames.map(\.closeCode) == [4401])
        #expect(harness.dialer.connectCount == 0)
        try harness.sendFromClient(.connectionClose, [0x11, 0x29])  // the browser echoes 4401
        #expect(!harness.client.isActive)
    }

    @Test func unreachableTargetClosesWith4502() throws {
        let harness = try RelayHarness()
        harness.dialer.connectFailure = ChannelError.connectTimeout(.seconds(5))
        harness.establish()
        #expect(try harness.framesToClient().map(\.closeCode) == [4502])
    }

    @Test func closeWithoutAnswerDropsTheConnectionAfterTheGracePeriod() throws {
        let harness = try RelayHarness()
        harness.establish(session: "s-42")
        #expect(harness.registry.terminate(sessionID: "s-42", with: .sessionEnded()).count == 1)
        harness.loop.run()
        #expect(try harness.framesToClient().map(\.closeCode) == [4410])
        #expect(!harness.target.isActive)
        #expect(harness.client.isActive)
        harness.loop.advanceTime(by: .seconds(1))
        #expect(!harness.client.isActive)
        #expect(harness.registry.liveCount == 0)
    }

    @Test func idleConnectionClosesWith4408() throws {
        let harness = try RelayHarness(settings: RelaySettings(idleTimeout: .seconds(10), pingInterval: .hours(1)))
        harness.establish()
        harness.loop.advanceTime(by: .seconds(6))
        try harness.target.writeInbound(ByteBuffer(bytes: [1]))  // activity pushes the deadline out
        _ = try harness.framesToClient()
        harness.loop.advanceTime(by: .seconds(6))
        #expect(try harness.framesToClient().isEmpty)
        harness.loop.advanceTime(by: .seconds(4))
        #expect(try harness.framesToClient().map(\.closeCode) == [4408])
    }

    @Test func pingsAndPongsDoNotCountAsActivity() throws {
        let harness = try RelayHarness(settings: RelaySettings(idleTimeout: .seconds(10), pingInterval: .seconds(3)))
        harness.establish()
        harness.loop.advanceTime(by: .seconds(5))
        try harness.sendFromClient(.pong, [])
        harness.loop.advanceTime(by: .seconds(5))
        #expect(try harness.framesToClient().map(\.opcode).last == .connectionClose)
    }

    @Test func handshakeDeadlineClosesAStuckRedemption() throws {
        let harness = try RelayHarness(settings: RelaySettings(handshakeTimeout: .seconds(10)))
        harness.loop.advanceTime(by: .seconds(10))
        #expect(try harness.framesToClient().map(\.closeCode) == [4408])
        harness.dialer.redeemPromise?.fail(GatewayRefusal.unknownToken())  // late answer changes nothing
        #expect(try harness.framesToClient().isEmpty)
    }

    @Test func browserLeavingClosesTheTarget() throws {
        let harness = try RelayHarness()
        harness.establish()
        try harness.client.close().wait()
        #expect(!harness.target.isActive)
        #expect(harness.registry.liveCount == 0)
    }

    @Test func connectionsUpgradedDuringShutdownCloseWith1001() throws {
        let registry = ConnectionRegistry()
        #expect(registry.terminateAll(with: .goingAway).isEmpty)
        let harness = try RelayHarness(registry: registry)
        #expect(try harness.framesToClient().map(\.closeCode) == [1001])
        #expect(harness.dialer.redeemPromise == nil)
    }
}
