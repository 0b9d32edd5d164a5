import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOWebSocket

@testable import Gateway

/// Counts the reads that reach the front of a pipeline, i.e. those a relay handler let through.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
    private(set) var reads = 0

    func read(context: ChannelHandlerContext) {
        self.reads += 1
        context.read()
    }
}

/// A dialer whose redemption the test completes by hand and whose target is an `EmbeddedChannel`.
final class FakeDialer: TargetDialing, @unchecked Sendable {
    // @unchecked: tests touch it only from the single thread that drives the shared EmbeddedEventLoop.
    let target: EmbeddedChannel
    var redeemPromise: EventLoopPromise<GatewayTarget>?
    var connectFailure: (any Error)?
    var connectCount = 0

    init(target: EmbeddedChannel) {
        self.target = target
    }

    deinit {
        self.redeemPromise?.fail(CancellationError())  // no-op when the test completed it
    }

    func redeem(token: String, origin: String?, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayTarget> {
        let promise = eventLoop.makePromise(of: GatewayTarget.self)
        self.redeemPromise = promise
        return promise.futureResult
    }

    func connect(
        to target: GatewayTarget, relay: WebSocketRelayHandler, on eventLoop: any EventLoop
    ) -> EventLoopFuture<any Channel> {
        self.connectCount += 1
        if let failure = self.connectFailure { return eventLoop.makeFailedFuture(failure) }
        return eventLoop.makeCompletedFuture {
            try self.target.pipeline.syncOperations.addHandler(TCPRelayHandler(partner: relay))
            return self.target as any Channel
        }
    }
}

/// A relay between two embedded channels on one `EmbeddedEventLoop`, with the real WebSocket encoder and decoder.
struct RelayHarness {
    static let token = "abcdefghijklmnop0123"
    let loop = EmbeddedEventLoop()
    let client: EmbeddedChannel
    let target: EmbeddedChannel
    let clientReads = ReadCounter()
    let targetReads = ReadCounter()
    let dialer: FakeDialer
    let registry: ConnectionRegistry

    init(settings: RelaySettings = RelaySettings(maxFrameSize: 1024), registry: ConnectionRegistry = .init()) throws {
        self.registry = registry
        self.client = EmbeddedChannel(loop: self.loop)
        self.target = EmbeddedChannel(loop: self.loop)
        self.dialer = FakeDialer(target: self.target)
        try self.client.pipeline.syncOperations.addHandlers([
            self.clientReads, WebSocketFrameEncoder(),
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: settings.maxFrameSize)),
        ])
        try self.target.pipeline.syncOperations.addHandler(self.targetReads)
        try self.client.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
        try self.target.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 5900)).wait()
        let relay = WebSocketRelayHandler(
            settings: settings,
            request: .init(token: Self.token, origin: "http://localhost", peer: "test-peer"),
            dialer: self.dialer, registry: self.registry, logger: Logger.quiet
        )
        try self.client.pipeline.syncOperations.addHandler(relay)
    }

    /// Completes redemption (and so the fake connection to the target).
    func establish(session: String = "session-1") {
        self.dialer.redeemPromise?.succeed(GatewayTarget(sessionID: session, host: "127.0.0.1", port: 5900))
    }

    /// Feeds the relay a client frame, masked as browsers must.
    func sendFromClient(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) throws {
        let frame = WebSocketFrame(
            fin: fin, opcode: opcode, maskKey: masked ? .random() : nil,
            data: ByteBuffer(bytes: payload)
        )
        try self.client.writeInbound(try FrameCodec.encode(frame))
    }

    /// Frames the relay wrote to the browser so far.
    func framesToClient() throws -> [WebSocketFrame] {
        var bytes = ByteBuffer()
        while var chunk = try self.client.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&chunk) }
        return try FrameCodec.decode(bytes)
    }

    /// Bytes the relay wrote to the target so far.
    func bytesToTarget() throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try self.target.readOutbound(as: ByteBuffer.self) { bytes += chunk.readableBytesView }
        return bytes
    }
}

/// Turns frames into bytes and back with NIO's own encoder and decoder.
enum FrameCodec {
    static func encode(_ frame: WebSocketFrame) throws -> ByteBuffer {
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        try channel.writeAndFlush(frame).wait()
        var bytes = ByteBuffer()
        while var chunk = try channel.readOutbound(as: ByteBuffer.self) { bytes.writeBuffer(&chunk) }
        return bytes
    }

    static func decode(_ bytes: ByteBuffer) throws -> [WebSocketFrame] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 24)))
        try channel.writeInbound(bytes)
        var frames: [WebSocketFrame] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) { frames.append(frame) }
        return frames
    }
}

extension WebSocketFrame {
    /// The close code of a Close frame, if it carries one.
    var closeCode: UInt16? {
        guard self.opcode == .connectionClose else { return nil }
        var data = self.unmaskedData
        return data.readInteger(as: UInt16.self)
    }

    var payloadBytes: [UInt8] { Array(self.unmaskedData.readableBytesView) }
}

extension Logger {
    /// A logger that drops everything; set GATEWAY_TEST_LOGS=1 to see the gateway's logs.
    static var quiet: Logger {
        if ProcessInfo.processInfo.environment["GATEWAY_TEST_LOGS"] != nil { return Logger(label: "gateway-test") }
        return Logger(label: "gateway-test", factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
