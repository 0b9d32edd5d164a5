import NIOCore

/// Closes a connection that has not finished its HTTP upgrade by the handshake deadline.
///
/// Removed once the upgrade completes; from then on `WebSocketRelayHandler` enforces the same deadline.
final class HandshakeTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let deadline: NIODeadline
    private var timer: Scheduled<Void>?

    init(deadline: NIODeadline) {
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: self.deadline) {
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }
}
