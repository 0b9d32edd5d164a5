import NIOCore

/// One end of a tunnel: what its channel reads is written to the partner's channel, on one event loop.
///
/// Shaped like the glue handler of NIO's connect-proxy example. Backpressure: an end reads only while its partner's
/// channel is writable (below the write buffer's high water mark). Half-close: an end whose peer stops sending shuts
/// its partner's output, and a channel closes once both of its directions are done. An idle event on either end
/// closes the tunnel.
final class TunnelGlueHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: TunnelGlueHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var inputClosed = false
    private var outputClosed = false

    private init() {}

    /// Two handlers partnered to each other: one for the client's channel, one for the target's.
    static func matchedPair() -> (TunnelGlueHandler, TunnelGlueHandler) {
        let first = TunnelGlueHandler()
        let second = TunnelGlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.partner?.partnerWrite(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.partnerFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.partnerClose()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            self.inputClosed = true
            self.partner?.partnerWriteEOF()
            if self.outputClosed { context.close(promise: nil) }
        } else if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.partner?.partnerBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.partner?.isWritable ?? false {
            context.read()
        } else {
            self.pendingRead = true
        }
    }
}

// Called by the partner, on the same event loop.
extension TunnelGlueHandler {
    private var isWritable: Bool { self.context?.channel.isWritable ?? false }

    private func partnerWrite(_ buffer: ByteBuffer) {
        self.context?.write(Self.wrapOutboundOut(buffer), promise: nil)
    }

    private func partnerFlush() {
        self.context?.flush()
    }

    private func partnerWriteEOF() {
        guard let context, !self.outputClosed else { return }
        self.outputClosed = true
        guard self.inputClosed else {
            context.close(mode: .output, promise: nil)  // NIO shuts the socket once queued writes are out
            return
        }
        // Both directions done: NIO would close at once and drop queued writes, so close after the last one.
        let drained = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: drained)
        drained.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    private func partnerClose() {
        self.context?.close(promise: nil)
    }

    private func partnerBecameWritable() {
        if self.pendingRead {
            self.pendingRead = false
            self.context?.read()
        }
    }
}
