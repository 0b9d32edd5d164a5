import Logging
import NIOCore

extension WebSocketRelayHandler {
    /// Redeems the token, then connects to the target; the state machine decides what each outcome means.
    func startDialing(context: ChannelHandlerContext) {
        let redeemed = self.dialer.redeem(token: self.request.token, origin: self.request.origin, on: context.eventLoop)
        redeemed.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let target):
                self.redeemed(target, context: context)
            case .failure(let error as GatewayRefusal):
                self.perform(self.machine.dialFailed(error))
            case .failure(let error):
                self.logger.error("token resolver failed", metadata: ["error": "\(error)"])
                self.perform(self.machine.dialFailed(.internalError))
            }
        }
    }

    private func redeemed(_ target: GatewayTarget, context: ChannelHandlerContext) {
        guard self.machine.isDialing else { return }  // the browser left or the deadline passed meanwhile
        self.logger[metadataKey: "session"] = "\(target.sessionID)"
        if let id = self.registrationID { self.registry.assign(sessionID: target.sessionID, to: id) }
        self.logger.debug("token redeemed, connecting", metadata: ["target": "\(target.host):\(target.port)"])
        let connected = self.dialer.connect(to: target, relay: self, on: context.eventLoop)
        let preface = target.preface(client: context.channel.remoteAddress?.ipAddress)
        connected.hop(to: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let channel):
                if !preface.isEmpty { channel.writeAndFlush(channel.allocator.buffer(bytes: preface), promise: nil) }
                self.target = try? channel.pipeline.syncOperations.handler(type: TCPRelayHandler.self)
                self.perform(self.machine.targetConnected())
            case .failure(let error):
                self.logger.notice(
                    "desktop unreachable",
                    metadata: ["target": "\(target.host):\(target.port)", "error": "\(error)"]
                )
                self.perform(self.machine.dialFailed(.unreachable()))
            }
        }
    }

    /// Enters the registry so the connection can be closed by session or at shutdown; false when shutting down.
    func register(context: ChannelHandlerContext) -> Bool {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        self.registrationID = self.registry.add(closeFuture: context.channel.closeFuture) { refusal in
            eventLoop.execute { handler.value.terminate(refusal) }
        }
        return self.registrationID != nil
    }

    func unregister() {
        if let id = self.registrationID {
            self.registry.remove(id)
            self.registrationID = nil
        }
    }
}
