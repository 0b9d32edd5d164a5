import Logging
import NIOCore
import NIOHTTPTypes

/// Closes an API connection whose request does not arrive in time (`RequestDeadline`): a client that opens a
/// connection and sends nothing, half a head, or a body byte by byte (slow-loris) holds a descriptor only that long.
///
/// It sits after the HTTP decoder, so it sees requests' heads and ends; `channelReadComplete` tells it that bytes
/// arrived before a head was whole.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let timeout: TimeAmount
    private let logger: Logger
    private var deadline = RequestDeadline()
    private var timer: Scheduled<Void>?

    init(timeout: Duration, logger: Logger) {
        self.timeout = TimeAmount(timeout)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.arm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
        self.timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head: self.perform(self.deadline.headRead(), context)
        case .end: self.perform(self.deadline.endRead(), context)
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.perform(self.deadline.bytesArrived(), context)
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = Self.unwrapOutboundIn(data) { self.deadline.responseEnded() }
        context.write(data, promise: promise)
    }

    private func perform(_ action: RequestDeadline.Action, _ context: ChannelHandlerContext) {
        switch action {
        case .arm: self.arm(context)
        case .disarm:
            self.timer?.cancel()
            self.timer = nil
        case .none: break
        }
    }

    private func arm(_ context: ChannelHandlerContext) {
        self.timer?.cancel()
        let (logger, seconds) = (self.logger, self.timeout.nanoseconds / 1_000_000_000)
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            logger.debug(
                "HTTP request not received in time; closing the connection",
                metadata: ["peer": "\(context.channel.remoteAddress?.description ?? "unknown")", "seconds": "\(seconds)"])
            context.close(promise: nil)
        }
    }
}
