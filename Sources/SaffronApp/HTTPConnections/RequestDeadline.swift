/// When a connection's request must be complete, free of I/O: the deadline runs from the connection's start until
/// its first request has been read (head and body), and on a kept-alive connection from the first byte of the next
/// request until that one has been read. Between requests the idle timeout applies instead, and while the broker
/// answers nothing runs.
struct RequestDeadline {
    /// What the handler does with its timer.
    enum Action: Equatable {
        case arm
        case disarm
        case none
    }

    /// Whether the deadline runs now; it does from the start, for the first request.
    private(set) var isArmed = true
    private var readingRequest = false
    private var responsesOwed = 0

    /// Bytes arrived: on an idle kept-alive connection, they start the next request.
    mutating func bytesArrived() -> Action {
        guard !self.isArmed, !self.readingRequest, self.responsesOwed == 0 else { return .none }
        self.isArmed = true
        return .arm
    }

    /// A request's head was read; the deadline runs on until its end (a head that came whole in one read on a
    /// kept-alive connection starts it here).
    mutating func headRead() -> Action {
        self.readingRequest = true
        self.responsesOwed += 1
        guard !self.isArmed else { return .none }
        self.isArmed = true
        return .arm
    }

    /// A request's end was read: it is complete, and the broker's answer takes what time it needs.
    mutating func endRead() -> Action {
        self.readingRequest = false
        guard self.isArmed else { return .none }
        self.isArmed = false
        return .disarm
    }

    /// A response's end was written.
    mutating func responseEnded() {
        self.responsesOwed = max(0, self.responsesOwed - 1)
    }
}
