import Glibc
import Logging
import NIOCore
import NIOHTTP1

/// A browser's WebSocket handshake on the splice path: reads the upgrade request, answers it with the 101 (as the
/// event-loop path does) while the token is redeemed, then hands the socket to the splice relays, which connect to
/// the desktop and carry the frames both ways.
///
/// A request that is no well-formed upgrade to `/ws/<token>` passes on to `HTTPRefusalHandler` (404, 426 or 400). A
/// token the resolver refuses, a redemption past the handshake deadline or a desktop that cannot be reached gets a
/// Close frame with the refusal's code, and the connection closes once the browser answers or the close grace passed.
final class WebSocketHandshakeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase {
        /// Waiting for the request head.
        case awaitingHead
        /// Not an upgrade we serve: the request's parts go on to `HTTPRefusalHandler`.
        case passingOn
        /// A good upgrade request: the token is being redeemed; once the request is complete the HTTP handlers go,
        /// the 101 is written, and what the browser sends passes on to be collected for the relay.
        case upgrading(Upgrade, sawEnd: Bool)
        /// Refused with a Close frame: the browser's answer (any bytes) or its leaving closes the connection.
        case refused
        /// Handed off, or closed.
        case done
    }

    /// What the 101 needs from the request.
    private struct Upgrade {
        let key: String
        let head: HTTPRequestHead
    }

    /// A redeemed token's target, with its address resolved.
    struct RedeemedTarget: Sendable {
        let target: GatewayTarget
        let address: SocketAddress
    }

    private let resolver: any GatewayTokenResolver
    private let connection: SplicedConnection
    private let registration: ConnectionRegistry.Registration
    private let deadline: NIODeadline
    private let closeGrace: TimeAmount
    private var logger: Logger
    private var phase = Phase.awaitingHead
    /// What the browser sent after its request, once the 101 is out.
    private var early: [UInt8]?
    /// The redemption's outcome, once known.
    private var outcome: Result<RedeemedTarget, any Error>?
    private var deadlineTimer: Scheduled<Void>?

    init(
        resolver: any GatewayTokenResolver, connection: SplicedConnection, registration: ConnectionRegistry.Registration,
        deadline: NIODeadline, closeGrace: TimeAmount, peer: String, logger: Logger
    ) {
        self.resolver = resolver
        self.connection = connection
        self.registration = registration
        self.deadline = deadline
        self.closeGrace = closeGrace
        self.logger = logger
        self.logger[metadataKey: "peer"] = "\(peer)"
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.phase {
        case .awaitingHead:
            guard case .head(let head) = Self.unwrapInboundIn(data) else { return }
            guard let key = WebSocketAcceptance.key(of: head), let token = UpgradeHandling.token(fromURI: head.uri) else {
                self.phase = .passingOn
                return context.fireChannelRead(data)
            }
            self.logger[metadataKey: "token"] = "\(GatewayLogging.redacted(token: token))"
            self.phase = .upgrading(Upgrade(key: key, head: head), sawEnd: false)
            self.redeem(token: token, origin: head.headers.first(name: "Origin"), context: context)
            self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: self.deadline) {
                self.deadlinePassed(context: context)
            }
        case .passingOn:
            context.fireChannelRead(data)
        case .upgrading(let upgrade, sawEnd: false):
            guard case .end = Self.unwrapInboundIn(data) else { return }
            self.phase = .upgrading(upgrade, sawEnd: true)
            self.answerUpgrade(upgrade, context: context)
        case .upgrading(_, sawEnd: true):
            context.fireChannelRead(data)  // raw bytes after the request: collected for the relay
        case .refused:
            context.close(promise: nil)  // the browser's Close, or whatever it sends: the exchange is over
        case .done:
            break
        }
    }

    /// The gateway ends the connection before it reached the relays (session ended, shutdown).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let refusal = event as? GatewayRefusal else { return context.fireUserInboundEventTriggered(event) }
        switch self.phase {
        case .upgrading where self.early != nil: self.refuse(refusal, context: context)
        case .refused: break  // already closing
        default: context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.phase = .done
        self.deadlineTimer?.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .passingOn = self.phase { return context.fireErrorCaught(error) }
        context.close(promise: nil)
    }

    /// Drops the HTTP handlers and writes the 101; reading waits for the relay (or a refusal).
    private func answerUpgrade(_ upgrade: Upgrade, context: ChannelHandlerContext) {
        do {
            try SplicedHandshake.detach(context) { early in
                guard case .upgrading = self.phase else { return }  // the browser went away meanwhile
                let channel = context.channel
                let accepted = WebSocketAcceptance.switchingProtocols(key: upgrade.key, head: upgrade.head)
                channel.writeAndFlush(channel.allocator.buffer(bytes: accepted)).assumeIsolated().whenComplete { result in
                    guard case .success = result else { return channel.close(promise: nil) }
                    self.early = early
                    self.proceed(context: context)
                }
            }
        } catch {
            self.phase = .done
            context.close(promise: nil)
        }
    }

    private func redeem(token: String, origin: String?, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: RedeemedTarget.self)
        let resolver = self.resolver
        promise.completeWithTask {
            let target = try await resolver.redeem(token: token, origin: origin)
            guard let address = try? SocketAddress.resolving(target.host, port: target.port) else {
                throw GatewayRefusal.unreachable()
            }
            return RedeemedTarget(target: target, address: address)
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { result in
            let (handler, context) = bound.value
            handler.outcome = result
            handler.proceed(context: context)
        }
    }

    /// Acts once the 101 is out and the redemption's outcome is known.
    private func proceed(context: ChannelHandlerContext) {
        guard case .upgrading = self.phase, let early = self.early, let outcome = self.outcome else { return }
        self.deadlineTimer?.cancel()
        switch outcome {
        case .success(let redeemed):
            self.logger[metadataKey: "session"] = "\(redeemed.target.sessionID)"
            self.registration.assign(redeemed.target.sessionID)
            self.relay(to: redeemed, earlyBytes: early, context: context)
        case .failure(let refusal as GatewayRefusal):
            self.refuse(refusal, context: context)
        case .failure(let error):
            self.logger.error("token resolver failed", metadata: ["error": "\(error)"])
            self.refuse(.internalError, context: context)
        }
    }

    /// Redemption took longer than the handshake timeout: a Close 4408 once the 101 is out, or no answer at all.
    private func deadlinePassed(context: ChannelHandlerContext) {
        guard case .upgrading = self.phase else { return }
        guard self.early != nil else { return context.close(promise: nil) }
        self.refuse(.handshakeTimeout, context: context)
    }

    /// Gives the socket to the splice relays and closes this channel (the relays hold their own descriptor of the
    /// socket).
    private func relay(to redeemed: RedeemedTarget, earlyBytes: [UInt8], context: ChannelHandlerContext) {
        self.phase = .done
        let unreachable = GatewayRefusal.unreachable()
        let (logger, target) = (self.logger, redeemed.target)
        let handed = self.connection.handOff(
            to: redeemed.address, openedReply: [],
            failedReply: WebSocketAcceptance.closeFrame(unreachable), earlyBytes: earlyBytes,
            preface: target.preface(client: context.channel.remoteAddress?.ipAddress)
        ) {
            logger.debug("relaying", metadata: ["target": "\(target.host):\(target.port)"])
        } failed: { code in
            logger.notice(
                "desktop unreachable",
                metadata: [
                    "target": "\(target.host):\(target.port)", "error": "\(String(cString: strerror(code)))",
                    "close_code": "\(unreachable.closeCode)",
                ])
        } closed: { code, closeCode in
            let metadata: Logger.Metadata = [
                "close_code": "\(closeCode == 0 ? "none" : String(closeCode))",
                "error": "\(code == 0 ? "none" : String(cString: strerror(code)))",
            ]
            logger.log(level: GatewayLogging.level(forClose: closeCode), "WebSocket connection closed", metadata: metadata)
        }
        if !handed {
            self.logger.error("connection not handed to the relays", metadata: ["target": "\(target.host):\(target.port)"])
        }
        context.close(promise: nil)
    }

    /// Closes the WebSocket with the refusal's code, then waits for the browser's answer or the close grace.
    private func refuse(_ refusal: GatewayRefusal, context: ChannelHandlerContext) {
        self.phase = .refused
        let metadata: Logger.Metadata = ["close_code": "\(refusal.closeCode)", "reason": "\(refusal.reason)"]
        self.logger.notice("refusing WebSocket connection", metadata: metadata)
        let channel = context.channel
        channel.writeAndFlush(channel.allocator.buffer(bytes: WebSocketAcceptance.closeFrame(refusal)), promise: nil)
        try? channel.syncOptions?.setOption(.autoRead, value: true)
        context.eventLoop.scheduleTask(in: self.closeGrace) { channel.close(promise: nil) }
    }
}

extension SocketAddress {
    /// The address of `host` (an IP address, or a name resolved here) and `port`.
    static func resolving(_ host: String, port: Int) throws -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        return try SocketAddress.makeAddressResolvingHost(host, port: port)
    }
}
