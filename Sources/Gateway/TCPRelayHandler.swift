import NIOCore

/// The target (SPICE) side of a relay: hands bytes and events to its `WebSocketRelayHandler` partner.
///
/// Shaped like the glue handler of NIO's connect-proxy example: both channels live on one event loop, each handler
/// writes into its partner's channel, and reading stops while the partner's channel is not writable.
final class TCPRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: WebSocketRelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    init(partner: WebSocketRelayHandler) {
        self.partner = partner
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner?.targetRead(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.targetReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.targetClosed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            self.partner?.targetClosed()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.partner?.targetFailed(error)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.partner?.targetBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.partner?.isClientWritable ?? false {
            context.read()
        } else {
            self.pendingRead = true
        }
    }
}

// The partner's side: called by `WebSocketRelayHandler` on the same event loop.
extension TCPRelayHandler {
    /// Whether the target channel can take more bytes without exceeding the buffer limit.
    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    func write(_ buffer: ByteBuffer) {
        self.context?.write(Self.wrapOutboundOut(buffer), promise: nil)
    }

    func flush() {
        self.context?.flush()
    }

    func close() {
        self.context?.close(promise: nil)
    }

    /// The browser's channel drained below its low water mark: resume reading if we held a read back.
    func clientBecameWritable() {
        if self.pendingRead {
            self.pendingRead = false
            self.context?.read()
        }
    }
}
