import NIOCore

extension WebSocketRelayHandler {
    /// The scheduled work of one relay; all of it is cancelled once a Close is under way.
    struct Timers {
        var handshake: Scheduled<Void>?
        var idle: Scheduled<Void>?
        var ping: Scheduled<Void>?
        var closeGrace: Scheduled<Void>?

        mutating func cancelAll() {
            self.handshake?.cancel()
            self.idle?.cancel()
            self.ping?.cancel()
            self.closeGrace?.cancel()
            self = Timers()
        }
    }

    func startTimers(context: ChannelHandlerContext) {
        let loop = context.eventLoop.assumeIsolated()
        let handshakeDeadline = self.handshakeDeadline ?? (context.eventLoop.now + self.settings.handshakeTimeout)
        self.timers.handshake = loop.scheduleTask(deadline: handshakeDeadline) {
            self.perform(self.machine.handshakeDeadlinePassed())
        }
        self.scheduleIdleCheck(deadline: self.lastActivity + self.settings.idleTimeout)
        self.schedulePing()
    }

    /// Checks at the earliest moment the idle timeout could have passed; reschedules while data keeps moving.
    private func scheduleIdleCheck(deadline: NIODeadline) {
        guard let context = self.context else { return }
        self.timers.idle = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.noteActivity()
            let due = self.lastActivity + self.settings.idleTimeout
            if context.eventLoop.now >= due {
                self.perform(self.machine.terminate(.idleTimeout))
            } else {
                self.scheduleIdleCheck(deadline: due)
            }
        }
    }

    private func schedulePing() {
        guard let context = self.context else { return }
        self.timers.ping = context.eventLoop.assumeIsolated().scheduleTask(in: self.settings.pingInterval) {
            self.perform(self.machine.pingDue())
            self.schedulePing()
        }
    }
}
