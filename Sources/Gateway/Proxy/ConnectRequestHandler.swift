import Logging
import NIOCore
import NIOHTTP1

/// Turns one accepted connection into a tunnel: reads the CONNECT request, asks the authorizer, connects to the
/// target, answers `200 Connection established` and glues the two channels; anything else gets an error status and
/// a close.
///
/// Only CONNECT to an address literal is understood, so the proxy is never an open HTTP proxy; what the tunnel may
/// reach is decided by the authorizer for the address the client connected from.
final class ConnectRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        /// Waiting for the request head.
        case awaitingHead
        /// Authorizing and connecting; `sawEnd` once the request is complete.
        case dialing(ConnectTarget, sawEnd: Bool)
        /// Connected, waiting for the request's end.
        case awaitingEnd(ConnectTarget, peer: any Channel)
        /// Answered 200 and gluing; bytes the client sent meanwhile wait here.
        case gluing(pending: [NIOAny])
        /// Refused or failed; everything further is ignored.
        case done
    }

    private let clientAddress: String
    private let dialer: any TunnelDialing
    private let tunnels: ConnectionRegistry.Registration
    private let settings: TunnelSettings
    private let logger: Logger
    private var state = State.awaitingHead
    private var sessionID: String?

    init(clientAddress: String, dialer: any TunnelDialing, tunnels: ConnectionRegistry.Registration, settings: TunnelSettings, logger: Logger) {
        self.clientAddress = clientAddress
        self.dialer = dialer
        self.tunnels = tunnels
        self.settings = settings
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.state {
        case .awaitingHead:
            guard case .head(let head) = Self.unwrapInboundIn(data) else { return }
            self.begin(head, context: context)
        case .dialing(let target, _):
            if case .end = Self.unwrapInboundIn(data) { self.state = .dialing(target, sawEnd: true) }
        case .awaitingEnd(let target, let peer):
            if case .end = Self.unwrapInboundIn(data) { self.establish(target, peer: peer, context: context) }
        case .gluing(var pending):
            pending.append(data)  // raw bytes once the decoder is gone: not to be unwrapped as HTTP
            self.state = .gluing(pending: pending)
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

    func removeHandler(context: ChannelHandlerContext, removalToken: ChannelHandlerContext.RemovalToken) {
        if case .gluing(let pending) = self.state {
            self.state = .done
            for bytes in pending { context.fireChannelRead(bytes) }
            if !pending.isEmpty { context.fireChannelReadComplete() }
        }
        context.leavePipeline(removalToken: removalToken)
    }

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard head.method == .CONNECT else {
            return self.refuse(.methodNotAllowed, context: context, why: "method \(head.method.rawValue)")
        }
        guard let target = ConnectTarget(authority: head.uri) else {
            return self.refuse(.badRequest, context: context, why: "target \(head.uri.debugDescription) is not ADDRESS:PORT")
        }
        self.state = .dialing(target, sawEnd: false)
        let dialer = self.dialer
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        dialer.authorize(clientAddress: self.clientAddress, target: target, on: loop)
            .flatMap { sessionID in
                bound.value.0.sessionID = sessionID
                return dialer.connect(to: target, on: loop).flatMapErrorThrowing { error in
                    throw DialFailure(underlying: error)
                }
            }
            .whenComplete { result in
                let (handler, context) = bound.value
                handler.dialed(target, result: result, context: context)
            }
    }

    private struct DialFailure: Error {
        var underlying: any Error
    }

    private func dialed(_ target: ConnectTarget, result: Result<any Channel, any Error>, context: ChannelHandlerContext) {
        guard case .dialing(_, let sawEnd) = self.state else {
            if case .success(let peer) = result { peer.close(promise: nil) }  // the client went away meanwhile
            return
        }
        switch result {
        case .success(let peer):
            if let sessionID { self.tunnels.assign(sessionID) }
            if sawEnd {
                self.establish(target, peer: peer, context: context)
            } else {
                self.state = .awaitingEnd(target, peer: peer)
            }
        case .failure(let refusal as TunnelRefusal):
            self.refuse(refusal, context: context, why: "no live session of this client has endpoint \(target)")
        case .failure(let failure as DialFailure):
            self.refuse(.unreachable, context: context, why: "connecting to \(target) failed: \(failure.underlying)")
        case .failure(let error):
            self.refuse(.internalError, context: context, why: "authorizer failed: \(error)")
        }
    }

    /// Answers 200, drops the HTTP handlers and glues the client's channel to the target's.
    private func establish(_ target: ConnectTarget, peer: any Channel, context: ChannelHandlerContext) {
        guard peer.isActive else {
            return self.refuse(.unreachable, context: context, why: "\(target) hung up before the tunnel opened")
        }
        self.state = .gluing(pending: [])
        self.logger.info(
            "tunnel opened",
            metadata: ["client": "\(self.clientAddress)", "target": "\(target)", "session": "\(self.sessionID ?? "")"])
        let head = HTTPResponseHead(
            version: .http1_1, status: .custom(code: 200, reasonPhrase: "Connection established"),
            headers: ["Content-Length": "0"])  // NIO's encoder insists on a length; clients ignore it for CONNECT
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)

        let (clientGlue, targetGlue) = TCPRelayHandler.matchedPair()
        do {
            let pipeline = context.pipeline.syncOperations
            try ProxyPipeline.removeHTTPHandlers(from: pipeline)
            try pipeline.addHandler(IdleStateHandler(allTimeout: self.settings.idleTimeout), position: .after(context.handler))
            try pipeline.addHandler(clientGlue, position: .last)
            try peer.pipeline.syncOperations.addHandler(targetGlue)  // the peer lives on this event loop too
        } catch {
            peer.close(promise: nil)
            context.close(promise: nil)
            return
        }
        peer.setOption(.autoRead, value: true).whenComplete { _ in }
        context.pipeline.syncOperations.removeHandler(self, promise: nil)
    }

    private func refuse(_ refusal: TunnelRefusal, context: ChannelHandlerContext, why: String) {
        self.state = .done
        self.logger.notice(
            "tunnel refused",
            metadata: ["client": "\(self.clientAddress)", "status": "\(refusal.status)", "why": "\(why)"])
        RefusingHandler.answer(refusal, context: context)
    }
}
