import NIOCore
import NIOWebSocket

/// The decisions of one browser connection's relay, free of I/O so they can be tested on their own.
///
/// `WebSocketRelayHandler` feeds it events (frames, target bytes, timers, closes) and performs the returned action.
struct RelayStateMachine {
    enum State {
        /// Upgraded; the token is being redeemed and the target dialled. Browser data waits here.
        case dialing(pending: CircularBuffer<ByteBuffer>)
        /// The browser closed while the target was being dialled: once it is connected, what the browser sent first
        /// goes to it, then the Close is answered (RFC 6455 section 7.1: data before a Close is not lost).
        case closingAfterDial(pending: CircularBuffer<ByteBuffer>, answer: GatewayRefusal)
        /// Both sides connected: bytes flow.
        case relaying
        /// We sent a Close frame and wait for the browser's answer (or the grace period).
        case closing
        /// Nothing more will be sent to either side.
        case closed
    }

    /// What the handler must do next.
    enum Action {
        case none
        /// Write a browser payload to the target.
        case forwardToTarget(ByteBuffer)
        /// Write target bytes to the browser as binary frames.
        case forwardToClient(ByteBuffer)
        /// Answer a ping.
        case sendPong(ByteBuffer)
        /// Send our keep-alive ping.
        case sendPing
        /// The target is connected: write what the browser sent while dialling and start relaying.
        case startRelaying(pending: CircularBuffer<ByteBuffer>)
        /// Send a Close frame; close the target if asked; close the browser connection once the frame is flushed
        /// (when the closing handshake is complete or the connection failed) or else after a grace period.
        case sendClose(GatewayRefusal, closeTarget: Bool, closeClientAfterFlush: Bool)
        /// Close the browser connection (and the target if asked) without sending anything more.
        case closeClient(closeTarget: Bool)
        /// Close the target connection only.
        case closeTarget
        /// The browser closed in order: write `pending` to the target, answer with our Close, close the browser
        /// connection once it is flushed, and the target once what was written to it is sent.
        case answerClose(GatewayRefusal, pending: CircularBuffer<ByteBuffer>)
    }

    private(set) var state: State = .dialing(pending: CircularBuffer())
    /// A binary message's first frame came without FIN: its continuations are due, and no other message may begin
    /// before its last (RFC 6455 section 5.4).
    private(set) var messageOpen = false

    /// Whether reading from the browser may go on, given the target's writability (backpressure).
    func shouldReadFromClient(targetWritable: Bool) -> Bool {
        switch self.state {
        case .dialing: return false
        case .closingAfterDial: return true  // nothing more is relayed; an answer to a ping would be dropped anyway
        case .relaying: return targetWritable
        case .closing, .closed: return true  // read the Close answer; data is dropped anyway
        }
    }

    /// Whether the target is still being dialled (also when the browser closed meanwhile and waits for its data to go).
    var isDialing: Bool {
        switch self.state {
        case .dialing, .closingAfterDial: return true
        case .relaying, .closing, .closed: return false
        }
    }

    /// A frame decoded from the browser.
    mutating func frameReceived(_ frame: WebSocketFrame) -> Action {
        guard frame.maskKey != nil else { return self.fail(.protocolError("unmasked client frame")) }
        guard !frame.rsv1, !frame.rsv2, !frame.rsv3 else { return self.fail(.protocolError("reserved bits set")) }
        switch frame.opcode {
        case .binary, .text, .continuation:
            if frame.opcode == .continuation, !self.messageOpen {
                return self.fail(.protocolError("continuation without a message"))
            }
            if frame.opcode != .continuation, self.messageOpen {
                return self.fail(.protocolError("new message inside a fragmented one"))
            }
            // SPICE is binary and the subprotocol is `binary`: text is data the gateway does not take.
            guard frame.opcode != .text else { return self.fail(.unsupportedData) }
            self.messageOpen = !frame.fin
            return self.clientData(frame.unmaskedData)
        case .ping:
            switch self.state {
            case .dialing, .relaying: return .sendPong(frame.unmaskedData)
            case .closingAfterDial, .closing, .closed: return .none
            }
        case .pong:
            return .none
        case .connectionClose:
            return self.clientClose(frame.unmaskedData)
        default:
            return self.fail(.protocolError("unknown opcode"))
        }
    }

    private mutating func clientData(_ payload: ByteBuffer) -> Action {
        switch self.state {
        case .dialing(var pending):
            self.state = .relaying  // avoid a copy-on-write of the buffer while we mutate it
            pending.append(payload)
            self.state = .dialing(pending: pending)
            return .none
        case .relaying:
            return .forwardToTarget(payload)
        case .closingAfterDial, .closing, .closed:
            return .none
        }
    }

    private mutating func clientClose(_ payload: ByteBuffer) -> Action {
        switch self.state {
        case .dialing, .relaying:
            switch WebSocketFraming.answer(toCloseBody: payload) {
            case .success(let code):
                let answer = GatewayRefusal(closeCode: code, reason: "")
                if case .dialing(let pending) = self.state, !pending.isEmpty {
                    self.state = .closingAfterDial(pending: pending, answer: answer)
                    return .none
                }
                self.state = .closed
                return .answerClose(answer, pending: CircularBuffer())
            case .failure(let refusal):
                return self.fail(refusal)
            }
        case .closingAfterDial:
            return .none
        case .closing:
            self.state = .closed
            return .closeClient(closeTarget: true)
        case .closed:
            return .none
        }
    }

    /// The frame decoder rejected the browser's bytes.
    mutating func decodingFailed(_ error: NIOWebSocketError) -> Action {
        switch error {
        case .invalidFrameLength: return self.fail(.frameTooLarge)
        default: return self.fail(.protocolError())
        }
    }

    /// Fail the connection: send Close and drop the connection without waiting for an answer. When our Close went
    /// before, no second one is sent: the connection just closes.
    private mutating func fail(_ refusal: GatewayRefusal) -> Action {
        switch self.state {
        case .dialing, .relaying:
            self.state = .closed
            return .sendClose(refusal, closeTarget: true, closeClientAfterFlush: true)
        case .closing, .closingAfterDial:
            self.state = .closed
            return .closeClient(closeTarget: true)
        case .closed:
            return .none
        }
    }

    /// The target's TCP connection is up.
    mutating func targetConnected() -> Action {
        switch self.state {
        case .dialing(let pending):
            self.state = .relaying
            return .startRelaying(pending: pending)
        case .closingAfterDial(let pending, let answer):
            self.state = .closed
            return .answerClose(answer, pending: pending)
        case .relaying:
            return .none
        case .closing, .closed:
            return .closeTarget
        }
    }

    /// Redemption or connection failed.
    mutating func dialFailed(_ refusal: GatewayRefusal) -> Action {
        guard self.isDialing else { return .none }
        if case .closingAfterDial = self.state {  // the browser's Close came already: no answer is awaited
            self.state = .closed
            return .sendClose(refusal, closeTarget: true, closeClientAfterFlush: true)
        }
        self.state = .closing
        return .sendClose(refusal, closeTarget: true, closeClientAfterFlush: false)
    }

    /// Bytes read from the target.
    mutating func targetRead(_ buffer: ByteBuffer) -> Action {
        switch self.state {
        case .dialing, .relaying: return .forwardToClient(buffer)
        case .closingAfterDial, .closing, .closed: return .none
        }
    }

    /// The target sent EOF or its connection closed.
    mutating func targetClosed() -> Action {
        self.terminate(.targetClosed)
    }

    /// The gateway ends the connection (session ended, idle, shutdown...): Close, then wait for the answer.
    mutating func terminate(_ refusal: GatewayRefusal) -> Action {
        switch self.state {
        case .dialing, .relaying:
            self.state = .closing
            return .sendClose(refusal, closeTarget: true, closeClientAfterFlush: false)
        case .closingAfterDial:  // the browser's Close came already: no answer is awaited
            self.state = .closed
            return .sendClose(refusal, closeTarget: true, closeClientAfterFlush: true)
        case .closing, .closed:
            return .none
        }
    }

    /// The handshake deadline passed; only matters while still dialling.
    mutating func handshakeDeadlinePassed() -> Action {
        self.isDialing ? self.terminate(.handshakeTimeout) : .none
    }

    /// The browser did not answer our Close in time.
    mutating func closeGraceExpired() -> Action {
        guard case .closing = self.state else { return .none }
        self.state = .closed
        return .closeClient(closeTarget: true)
    }

    /// Time for a keep-alive ping.
    func pingDue() -> Action {
        switch self.state {
        case .dialing, .relaying: return .sendPing
        case .closingAfterDial, .closing, .closed: return .none
        }
    }

    /// The browser's TCP connection is gone. Once closed already, the target is closed or being finished (the
    /// browser's data before its Close still going out): it is left to that.
    mutating func clientClosed() -> Action {
        if case .closed = self.state { return .none }
        self.state = .closed
        return .closeTarget
    }
}
