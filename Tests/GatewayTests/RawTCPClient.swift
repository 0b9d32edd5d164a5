import NIOCore
import NIOPosix

/// A bare TCP client: sends bytes, then collects everything until the server hangs up.
enum RawTCPClient {
    static func exchange(port: Int, sending bytes: [UInt8], timeout: TimeAmount = .seconds(5)) async throws -> [UInt8] {
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let received = eventLoop.makePromise(of: [UInt8].self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(CollectUntilClose(done: received))
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        } catch {
            received.fail(error)
            throw error
        }
        if !bytes.isEmpty {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        }
        do {
            return try await received.futureResult.withTimeout(timeout, what: "server hang-up").get()
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

private final class CollectUntilClose: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private var bytes: [UInt8] = []
    private let done: EventLoopPromise<[UInt8]>

    init(done: EventLoopPromise<[UInt8]>) {
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes += Self.unwrapInboundIn(data).readableBytesView
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.done.succeed(self.bytes)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)  // a reset still ends the exchange with what arrived
    }
}
