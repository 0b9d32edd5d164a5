import NIOCore
import NIOPosix
import Synchronization

/// A stand-in SPICE endpoint on 127.0.0.1: echoes bytes back, or greets and hangs up. Counts its connections.
///
/// The listener closes on `stop()` or when the last reference goes away.
final class TestTCPServer: Sendable {
    enum Behaviour: Sendable {
        /// Echo every byte back.
        case echo
        /// Send these bytes, then close.
        case greetAndClose([UInt8])
    }

    let channel: any Channel
    let port: Int
    private let accepted: Counter

    private init(channel: any Channel, accepted: Counter) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.accepted = accepted
    }

    static func start(_ behaviour: Behaviour = .echo) async throws -> TestTCPServer {
        let accepted = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.increment()
                return channel.eventLoop.makeCompletedFuture {
                    switch behaviour {
                    case .echo:
                        try channel.pipeline.syncOperations.addHandler(EchoHandler())
                    case .greetAndClose(let bytes):
                        try channel.pipeline.syncOperations.addHandler(GreetAndCloseHandler(greeting: bytes))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestTCPServer(channel: channel, accepted: accepted)
    }

    /// Connections accepted so far.
    var connectionCount: Int { self.accepted.value }

    func stop() async {
        try? await self.channel.close()
    }

    deinit {
        self.channel.close(promise: nil)  // a test that forgot `stop()` (or threw) still frees its port
    }

    /// A port on 127.0.0.1 with nothing listening: 1 (tcpmux, served by nothing here). A released ephemeral port
    /// could be taken by another test's listener before it is used; the kernel never hands out ports below 1024.
    static func closedPort() async throws -> Int {
        1
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { self.count.withLock { $0 += 1 } }
    var value: Int { self.count.withLock { $0 } }
}

private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

private final class GreetAndCloseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let greeting: [UInt8]

    init(greeting: [UInt8]) {
        self.greeting = greeting
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(bytes: self.greeting))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
