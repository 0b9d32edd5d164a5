import Logging
import NIOCore
import NIOWebSocket

/// The browser side of a relay, added after the WebSocket upgrade: redeems the token, dials the target, then moves
/// binary frames' payloads to the target and target bytes back as binary frames.
///
/// Everything runs on the browser channel's event loop; the target channel is created on the same loop so the two
/// handlers can call each other directly (see `TCPRelayHandler`). Decisions live in `RelayStateMachine`.
final class WebSocketRelayHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// What the browser asked for, as seen in the upgrade request.
    struct Request: Sendable {
        var token: String
        var origin: String?
        var peer: String
    }

    let settings: RelaySettings
    let request: Request
    let dialer: any TargetDialing
    let registry: ConnectionRegistry
    var logger: Logger

    var machine = RelayStateMachine()
    var context: ChannelHandlerContext?
    var target: TCPRelayHandler?
    var registrationID: Int?
    /// A read from the browser was held back (dialling, or the target is not writable).
    var pendingRead = false
    /// Data moved since the last read-complete; turns into `lastActivity` once per read batch.
    var sawData = false
    var lastActivity = NIODeadline.uptimeNanoseconds(0)
    let handshakeDeadline: NIODeadline?
    var timers = Timers()

    init(
        settings: RelaySettings, request: Request, dialer: any TargetDialing, registry: ConnectionRegistry,
        handshakeDeadline: NIODeadline? = nil, logger: Logger
    ) {
        self.settings = settings
        self.request = request
        self.dialer = dialer
        self.registry = registry
        self.handshakeDeadline = handshakeDeadline
        self.logger = logger
        self.logger[metadataKey: "peer"] = "\(request.peer)"
        self.logger[metadataKey: "token"] = "\(GatewayLogging.redacted(token: request.token))"
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        self.lastActivity = context.eventLoop.now
        self.startTimers(context: context)
        guard self.register(context: context) else {
            self.perform(self.machine.terminate(.goingAway))  // upgraded while the gateway shuts down
            return
        }
        self.startDialing(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timers.cancelAll()
        self.context = nil
        self.target = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        if frame.opcode == .binary || frame.opcode == .continuation || frame.opcode == .text {
            self.sawData = true
        }
        self.perform(self.machine.frameReceived(frame))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.noteActivity()
        self.target?.relayFlush()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.unregister()
        self.timers.cancelAll()
        self.perform(self.machine.clientClosed())
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOWebSocketError {
            self.logger.info("closing connection: bad WebSocket frame", metadata: ["error": "\(error)"])
            self.perform(self.machine.decodingFailed(error))
        } else {
            self.logger.debug("closing connection after error", metadata: ["error": "\(error)"])
            self.perform(self.machine.clientClosed())
            context.close(promise: nil)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            self.target?.partnerBecameWritable()
        }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if self.machine.shouldReadFromClient(targetWritable: self.target?.isWritable ?? false) {
            context.read()
        } else {
            self.pendingRead = true
        }
    }

    /// Issues a held-back read if the state machine now allows it.
    func resumeReadingIfPossible() {
        guard self.pendingRead,
            self.machine.shouldReadFromClient(targetWritable: self.target?.isWritable ?? false)
        else { return }
        self.pendingRead = false
        self.context?.read()
    }

    func noteActivity() {
        if self.sawData, let context = self.context {
            self.sawData = false
            self.lastActivity = context.eventLoop.now
        }
    }
}

// The partner's side: called by the desktop's `TCPRelayHandler` on the same event loop.
extension WebSocketRelayHandler: RelayPeer {
    /// Whether the browser channel can take more bytes without exceeding the buffer limit.
    var isWritable: Bool { self.context?.channel.isWritable ?? false }

    func relay(_ buffer: ByteBuffer) {
        self.sawData = true
        self.perform(self.machine.targetRead(buffer))
    }

    func relayFlush() {
        self.noteActivity()
        self.context?.flush()
    }

    func partnerInputClosed() {
        self.perform(self.machine.targetClosed())
    }

    func partnerClosed() {
        self.perform(self.machine.targetClosed())
    }

    func partnerFinished() {
        self.perform(self.machine.targetClosed())
    }

    func partnerFailed(_ error: any Error) {
        self.logger.debug("target connection failed", metadata: ["error": "\(error)"])
        self.perform(self.machine.targetClosed())
    }

    func partnerBecameWritable() {
        self.resumeReadingIfPossible()
    }

    /// Ends the connection from the gateway's side (session ended, shutdown): Close frame, then wait for the answer.
    func terminate(_ refusal: GatewayRefusal) {
        self.perform(self.machine.terminate(refusal))
    }
}
