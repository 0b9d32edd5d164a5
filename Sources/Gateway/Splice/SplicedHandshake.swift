import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The start of a spliced connection, shared by the CONNECT proxy and the WebSocket gateway: NIO borrows the accepted
/// socket for the HTTP handshake, with a deadline, and gives it back to the splice relays once the request is granted.
enum SplicedHandshake {
    static let decoderName = "spliced.http-decoder"
    static let encoderName = "spliced.http-encoder"
    static let timeoutName = "spliced.handshake-timeout"

    /// Runs the handshake of an accepted socket on NIO (`configure` adds its handlers after the HTTP codec), keeping
    /// a duplicate descriptor for the handoff to `relays` (as a WebSocket relay when `webSocket`). Called on the
    /// accept thread.
    static func start(
        _ descriptor: CInt, id: Int, webSocket: Bool, relays: SpliceRelays, metrics: RelayMetrics, on loop: any EventLoop,
        timeout: TimeAmount, logger: Logger, configure: @escaping @Sendable (any Channel, SplicedConnection) throws -> Void
    ) {
        let kept = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        guard kept >= 0 else {
            close(descriptor)
            return logger.error("accepted connection dropped: no descriptor left to duplicate it")
        }
        let connection = SplicedConnection(
            id: id, isWebSocket: webSocket, keptDescriptor: kept, relays: relays, metrics: metrics, eventLoop: loop)
        ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    connection.attach(channel)
                    channel.closeFuture.whenComplete { _ in connection.handshakeEnded() }
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(
                        HandshakeTimeoutHandler(deadline: channel.eventLoop.now + timeout), name: timeoutName)
                    try sync.addHandler(HTTPResponseEncoder(), name: encoderName)
                    try sync.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: decoderName)
                    try configure(channel, connection)
                }
            }
            .withConnectedSocket(descriptor)
            .whenFailure { _ in connection.handshakeEnded() }
    }

    /// Drops the HTTP codec and the handshake deadline once the request is granted; the decoder passes on any bytes
    /// that followed the request.
    static func removeHTTPHandlers(from pipeline: ChannelPipeline.SynchronousOperations) throws {
        for name in [encoderName, decoderName, timeoutName] {
            pipeline.removeHandler(context: try pipeline.context(name: name), promise: nil)
        }
    }

    /// Stops reading, drops the HTTP handlers and calls `then` on the event loop with the bytes the client sent after
    /// its request, once the decoder has handed them over on its way out (a task it queues on the loop).
    ///
    /// - Throws: when the pipeline could not be changed; the caller then closes the connection.
    static func detach(_ context: ChannelHandlerContext, then: @escaping ([UInt8]) -> Void) throws {
        let early = EarlyBytes()
        try context.channel.syncOptions?.setOption(.autoRead, value: false)
        try context.pipeline.syncOperations.addHandler(early, position: .after(context.handler))
        try Self.removeHTTPHandlers(from: context.pipeline.syncOperations)
        context.eventLoop.assumeIsolated().execute { then(early.bytes) }
    }
}

/// Collects the bytes a client sent right after its request, for the relay to pass on to the target.
private final class EarlyBytes: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var bytes: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes.append(contentsOf: Self.unwrapInboundIn(data).readableBytesView)
    }
}
