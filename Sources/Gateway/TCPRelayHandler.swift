import CoreMetrics
import NIOCore

/// A TCP side of a relay: hands what it reads to its partner and writes what its partner relays.
///
/// Shaped like the glue handler of NIO's connect-proxy example: both channels live on one event loop, each handler
/// writes into its partner's channel, and reading stops while the partner's channel is not writable. It is the
/// desktop's side of a browser console, partnered with a `WebSocketRelayHandler`. Half-close: when its peer stops sending, the partner is told; told the same by its
/// partner, it shuts its own output once queued writes are out, and closes when both directions are done. An idle
/// event closes it.
final class TCPRelayHandler: ChannelDuplexHandler, RelayPeer {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: (any RelayPeer)?
    private let metrics: RelayMetrics
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private var inputClosed = false
    private var outputClosed = false

    init(partner: any RelayPeer, metrics: RelayMetrics = .none) {
        self.partner = partner
        self.metrics = metrics
    }

    private init(metrics: RelayMetrics) {
        self.metrics = metrics
    }

    /// Two TCP sides relaying to each other: the client's (which counts nothing) and the desktop's (which counts
    /// both directions in `metrics`).
    static func pair(metrics: RelayMetrics) -> (client: TCPRelayHandler, desktop: TCPRelayHandler) {
        let client = TCPRelayHandler(metrics: .none)
        let desktop = TCPRelayHandler(metrics: metrics)
        client.partner = desktop
        desktop.partner = client
        return (client, desktop)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = Self.unwrapInboundIn(data)
        self.metrics.toClient.increment(by: buffer.readableBytes)
        self.partner?.relay(buffer)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.partner?.relayFlush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.partner?.partnerClosed()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            self.inputClosed = true
            self.partner?.partnerInputClosed()
            if self.outputClosed { context.close(promise: nil) }
        } else if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.partner?.partnerFailed(error)
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

// The partner's side: called on the same event loop.
extension TCPRelayHandler {
    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    func relay(_ buffer: ByteBuffer) {
        self.metrics.toDesktop.increment(by: buffer.readableBytes)
        self.context?.write(Self.wrapOutboundOut(buffer), promise: nil)
    }

    func relayFlush() {
        self.context?.flush()
    }

    func partnerInputClosed() {
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

    func partnerClosed() {
        self.context?.close(promise: nil)
    }

    /// The browser closed in order: what it sent before its Close is flushed to the desktop, then the connection
    /// closes (closing at once would drop writes still queued); a desktop that takes nothing is closed when idle.
    func partnerFinished() {
        guard let context else { return }
        let drained = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(context.channel.allocator.buffer(capacity: 0)), promise: drained)
        drained.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }

    func partnerFailed(_ error: any Error) {
        self.context?.close(promise: nil)
    }

    func partnerBecameWritable() {
        if self.pendingRead {
            self.pendingRead = false
            self.context?.read()
        }
    }
}
