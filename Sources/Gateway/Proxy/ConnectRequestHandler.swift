import Glibc
import Logging
import NIOCore
import NIOHTTP1

/// Turns one accepted connection into a tunnel: reads the CONNECT request, asks the authorizer, then hands the socket
/// to the splice relays, which connect to the target and answer `200 Connection established` (or `502`); anything
/// else gets an error status and a close.
///
/// Only CONNECT to an address literal is understood, so the proxy is never an open HTTP proxy; what the tunnel may
/// reach is decided by the authorizer for the address the client connected from.
final class ConnectRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for the request head.
        case awaitingHead
        /// Authorizing; `sawEnd` once the request is complete.
        case authorizing(ConnectTarget, sawEnd: Bool)
        /// Granted, waiting for the request's end.
        case awaitingEnd(ConnectTarget)
        /// Handing off: bytes the client sent after its request pass on to an `EarlyBytes` collector.
        case handingOff
        /// Handed off, refused or failed; everything further is ignored.
        case done
    }

    private let clientAddress: String
    private let authorizer: any TunnelAuthorizer
    private let connection: SplicedConnection
    private let tunnels: ConnectionRegistry.Registration
    private let logger: Logger
    private var state = State.awaitingHead
    private var sessionID: String?

    init(
        clientAddress: String, authorizer: any TunnelAuthorizer, connection: SplicedConnection,
        tunnels: ConnectionRegistry.Registration, logger: Logger
    ) {
        self.clientAddress = clientAddress
        self.authorizer = authorizer
        self.connection = connection
        self.tunnels = tunnels
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .awaitingHead:
            guard case .head(let head) = Self.unwrapInboundIn(data) else { return }
            self.begin(head, context: context)
        case .authorizing(let target, _):
            if case .end = Self.unwrapInboundIn(data) { self.state = .authorizing(target, sawEnd: true) }
        case .awaitingEnd(let target):
            if case .end = Self.unwrapInboundIn(data) { self.handOff(target, context: context) }
        case .handingOff:
            context.fireChannelRead(data)  // raw bytes the decoder forwards as it leaves: not to be read as HTTP
        case .done:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.state = .done
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .awaitingHead = self.state {
            self.refuse(.badRequest, context: context, why: "unreadable request")
        } else {
            context.close(promise: nil)
        }
    }

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.method == .CONNECT else {
            return self.refuse(.methodNotAllowed, context: context, why: "method \(head.method.rawValue)")
        }
        guard let target = ConnectTarget(authority: head.uri), target.socketAddress != nil else {
            return self.refuse(.badRequest, context: context, why: "target \(head.uri.debugDescription) is not ADDRESS:PORT")
        }
        self.state = .authorizing(target, sawEnd: false)
        let promise = context.eventLoop.makePromise(of: String.self)
        let (authorizer, client) = (self.authorizer, self.clientAddress)
        promise.completeWithTask { try await authorizer.authorize(clientAddress: client, target: target) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { result in
            let (handler, context) = bound.value
            handler.authorized(target, result: result, context: context)
        }
    }

    private func authorized(_ target: ConnectTarget, result: Result<String, any Error>, context: ChannelHandlerContext) {
        guard case .authorizing(_, let sawEnd) = self.state else { return }  // the client went away meanwhile
        switch result {
        case .success(let sessionID):
            self.sessionID = sessionID
            self.tunnels.assign(sessionID)
            if sawEnd {
                self.handOff(target, context: context)
            } else {
                self.state = .awaitingEnd(target)
            }
        case .failure(let refusal as TunnelRefusal):
            self.refuse(refusal, context: context, why: "no live session of this client has endpoint \(target)")
        case .failure(let error):
            self.refuse(.internalError, context: context, why: "authorizer failed: \(error)")
        }
    }

    /// Stops reading and, once what the client sent after its request is collected, gives the socket to the splice
    /// relays and closes this channel (the relays hold their own descriptor of the socket).
    private func handOff(_ target: ConnectTarget, context: ChannelHandlerContext) {
        guard let address = target.socketAddress else { return context.close(promise: nil) }
        self.state = .handingOff
        do {
            try SplicedHandshake.detach(context) { early in
                self.relay(to: address, target, earlyBytes: early, context: context)
            }
        } catch {
            self.state = .done
            context.close(promise: nil)
        }
    }

    private func relay(
        to address: SocketAddress, _ target: ConnectTarget, earlyBytes: [UInt8], context: ChannelHandlerContext
    ) {
        guard case .handingOff = self.state else { return }  // the client went away meanwhile
        self.state = .done
        let (logger, client, session) = (self.logger, self.clientAddress, self.sessionID ?? "")
        let handed = self.connection.handOff(
            to: address, openedReply: Self.openedReply, failedReply: TunnelRefusal.unreachable.response,
            earlyBytes: earlyBytes
        ) {
            logger.info("tunnel opened", metadata: ["client": "\(client)", "target": "\(target)", "session": "\(session)"])
        } failed: { code in
            logger.notice(
                "tunnel refused",
                metadata: [
                    "client": "\(client)", "status": "502",
                    "why": "connecting to \(target) failed: \(String(cString: strerror(code)))",
                ])
        }
        if !handed {
            self.logger.error("tunnel not handed to the relays", metadata: ["client": "\(client)", "target": "\(target)"])
        }
        context.close(promise: nil)
    }

    private func refuse(_ refusal: TunnelRefusal, context: ChannelHandlerContext, why: String) {
        self.state = .done
        self.logger.notice(
            "tunnel refused",
            metadata: ["client": "\(self.clientAddress)", "status": "\(refusal.status)", "why": "\(why)"])
        RefusingHandler.answer(refusal, context: context)
    }
}

extension ConnectRequestHandler {
    /// The answer a granted tunnel gets once its target is connected.
    static let openedReply = Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8)
}

extension TunnelRefusal {
    /// The refusal as a complete HTTP response, for answers written without NIO's encoder.
    var response: [UInt8] {
        let body = "\(self.status) \(self.reason)\n"
        let head =
            "HTTP/1.1 \(self.status) \(self.reason)\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Content-Type: text/plain\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }
}
