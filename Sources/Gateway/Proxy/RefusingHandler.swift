import NIOCore
import NIOHTTP1

/// Answers whatever request arrives with one refusal and closes: for connections the proxy will not serve at all.
final class RefusingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let refusal: TunnelRefusal
    private var answered = false

    init(refusal: TunnelRefusal) {
        self.refusal = refusal
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.answered, case .head = Self.unwrapInboundIn(data) else { return }
        self.answered = true
        Self.answer(self.refusal, context: context)
    }

    /// Writes `refusal` as a complete response with a short plain-text body, then closes the connection.
    static func answer(_ refusal: TunnelRefusal, context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: "\(refusal.status) \(refusal.reason)\n")
        let head = HTTPResponseHead(
            version: .http1_1, status: .custom(code: UInt(refusal.status), reasonPhrase: refusal.reason),
            headers: ["Content-Length": "\(body.readableBytes)", "Content-Type": "text/plain", "Connection": "close"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }
}
