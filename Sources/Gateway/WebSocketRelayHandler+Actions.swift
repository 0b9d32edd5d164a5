import Logging
import NIOCore
import NIOWebSocket

extension WebSocketRelayHandler {
    /// Carries out one decision of the state machine.
    func perform(_ action: RelayStateMachine.Action) {
        guard let context = self.context else {
            if case .closeTarget = action { self.target?.partnerClosed() }
            return
        }
        switch action {
        case .none:
            break
        case .forwardToTarget(let payload):
            self.target?.relay(payload)
        case .forwardToClient(let buffer):
            WebSocketFraming.forEachFrame(of: buffer, maxFrameSize: self.settings.maxFrameSize) { frame in
                context.write(Self.wrapOutboundOut(frame), promise: nil)
            }
        case .sendPong(let data):
            context.writeAndFlush(Self.wrapOutboundOut(WebSocketFraming.pongFrame(data)), promise: nil)
        case .sendPing:
            let ping = WebSocketFraming.pingFrame(allocator: context.channel.allocator)
            context.writeAndFlush(Self.wrapOutboundOut(ping), promise: nil)
        case .startRelaying(let pending):
            self.timers.handshake?.cancel()
            for payload in pending { self.target?.relay(payload) }
            self.target?.relayFlush()
            self.resumeReadingIfPossible()
        case .sendClose(let refusal, let closeTarget, let closeClientAfterFlush):
            self.sendClose(refusal, closeTarget: closeTarget, closeClientAfterFlush: closeClientAfterFlush, context)
        case .closeClient(let closeTarget):
            self.timers.cancelAll()
            if closeTarget { self.target?.partnerClosed() }
            context.close(promise: nil)
        case .closeTarget:
            self.target?.partnerClosed()
        case .answerClose(let answer, let pending):
            for payload in pending { self.target?.relay(payload) }
            self.target?.partnerFinished()
            self.sendClose(answer, closeTarget: false, closeClientAfterFlush: true, context)
        }
    }

    private func sendClose(
        _ refusal: GatewayRefusal, closeTarget: Bool, closeClientAfterFlush: Bool, _ context: ChannelHandlerContext
    ) {
        self.timers.cancelAll()
        self.logClose(refusal)
        if closeTarget { self.target?.partnerClosed() }
        let frame = WebSocketFraming.closeFrame(refusal, allocator: context.channel.allocator)
        let written = context.writeAndFlush(Self.wrapOutboundOut(frame))
        if closeClientAfterFlush {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            self.timers.closeGrace = context.eventLoop.assumeIsolated().scheduleTask(in: self.settings.closeGrace) {
                self.perform(self.machine.closeGraceExpired())
            }
            // Keep reading so the browser's answering Close frame arrives even if the target stalled us.
            self.resumeReadingIfPossible()
        }
    }
}

extension WebSocketRelayHandler {
    /// Every refusal is logged with its code, reason and peer (metadata), never with the full token.
    func logClose(_ refusal: GatewayRefusal) {
        let metadata: Logger.Metadata = ["close_code": "\(refusal.closeCode)", "reason": "\(refusal.reason)"]
        let level = GatewayLogging.level(forClose: refusal.closeCode)
        self.logger.log(
            level: level, level == .notice ? "refusing WebSocket connection" : "closing WebSocket connection",
            metadata: metadata)
    }
}
