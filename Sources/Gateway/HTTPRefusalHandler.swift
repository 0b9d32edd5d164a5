import NIOCore
import NIOHTTP1
import NIOWebSocket

/// Answers the HTTP requests that were not upgraded, then closes: 404 for any path other than `/ws/<token>`,
/// 426 for a plain request to a WebSocket path, 400 for a broken upgrade request (such as one of a version other
/// than 13); the last two name the version spoken in `Sec-WebSocket-Version`.
final class HTTPRefusalHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var status: HTTPResponseStatus?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.status = Self.status(for: head)
        case .body:
            break
        case .end:
            guard let status = self.status else { return }
            self.status = nil
            self.respond(status, context: context)
        }
    }

    static func status(for head: HTTPRequestHead) -> HTTPResponseStatus {
        guard UpgradeHandling.token(fromURI: head.uri) != nil else { return .notFound }
        return head.headers.contains(name: "Upgrade") ? .badRequest : .upgradeRequired
    }

    private func respond(_ status: HTTPResponseStatus, context: ChannelHandlerContext) {
        let body = "\(status.code) \(status.reasonPhrase)\n"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Connection", value: "close")
        if status == .upgradeRequired {
            headers.add(name: "Upgrade", value: "websocket")
        }
        if status != .notFound {
            // A refused upgrade names the one version spoken (RFC 6455 sections 4.2.2 and 4.4).
            headers.add(name: "Sec-WebSocket-Version", value: "13")
        }
        let head = HTTPResponseHead(version: .http1_1, status: status, headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A refused upgrade (wrong path, bad key) is reported here before the request is handed to us: we answer it.
        if error is NIOWebSocketUpgradeError { return }
        context.close(promise: nil)
    }
}
