import Glibc

/// Concurrent relay openings: `count` connections started at once, each sending the relay's opening request (a
/// WebSocket upgrade, a CONNECT) as soon as it connects; measures when each accepting answer arrives and, given an
/// echo size, when that many bytes sent through the opened relay came back from the target's echo.
struct HandshakeRun {
    struct Result {
        let attempted: Int
        /// Milliseconds from the start to each answered handshake, sorted.
        let answered: [Double]
        /// Connections refused, reset, closed or answered with another status.
        let failed: Int
        /// Milliseconds from the start until each echo was back, sorted (empty without an echo size).
        let echoed: [Double]

        var answeredWithinOneSecond: Int { self.answered.filter { $0 <= 1000 }.count }
    }

    let relay: RelayUnderTest
    let count: Int
    var timeout: Duration = .seconds(10)
    /// Bytes each opened relay sends to the target's echo and awaits back, unframed; nil to stop at the answer.
    var echoSize: Int?

    func measure() async throws -> Result {
        guard let handshake = self.relay.path.handshake else {
            throw BenchFailure("handshakes are measured on relays that answer a request only")
        }
        guard self.echoSize == nil || !self.relay.path.isFramed else {
            throw BenchFailure("echoes after a handshake are sent unframed, through byte relays only")
        }
        let echo = self.echoSize.map { [BenchTarget.Mode.echo.rawValue] + [UInt8](repeating: 0x42, count: $0) }
        let (port, count, timeout) = (self.relay.path.port, self.count, self.timeout)
        return await BenchThread.run { Self.run(handshake, port: port, count: count, echo: echo, timeout: timeout) }
    }

    /// One connection's progress.
    private struct Attempt {
        enum Phase { case connecting, awaitingAnswer, awaitingEcho, done }

        var fd: Int32
        var phase = Phase.connecting
        var response: [UInt8] = []
        var echoBytes = 0
        var answeredAt: Double?
        var echoedAt: Double?
    }

    private static func run(_ handshake: RelayHandshake, port: Int, count: Int, echo: [UInt8]?, timeout: Duration) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        var attempts: [Attempt] = []
        var unconnected = 0
        for _ in 0..<count {
            if let fd = try? LoopbackSocket.connect(port: port, nonBlocking: true) {
                attempts.append(Attempt(fd: fd))
            } else {
                unconnected += 1
            }
        }
        defer { attempts.forEach { close($0.fd) } }
        var open = attempts.count
        var chunk = [UInt8](repeating: 0, count: 4096)
        while open > 0, clock.now - start < timeout {
            var polls = attempts.filter { $0.phase != .done }.map {
                pollfd(fd: $0.fd, events: Int16($0.phase == .connecting ? POLLOUT : POLLIN), revents: 0)
            }
            guard poll(&polls, nfds_t(polls.count), 100) >= 0 else { continue }
            let ready = Dictionary(uniqueKeysWithValues: polls.filter { $0.revents != 0 }.map { ($0.fd, $0.revents) })
            for index in attempts.indices where attempts[index].phase != .done {
                guard let events = ready[attempts[index].fd] else { continue }
                let now = (clock.now - start).seconds * 1000
                Self.advance(&attempts[index], events: events, handshake: handshake, echo: echo, now: now, chunk: &chunk)
                if attempts[index].phase == .done { open -= 1 }
            }
        }
        let answered = attempts.compactMap(\.answeredAt)
        let refused = attempts.filter { $0.phase == .done && $0.answeredAt == nil }.count
        return Result(
            attempted: count, answered: answered.sorted(), failed: unconnected + refused,
            echoed: attempts.compactMap(\.echoedAt).sorted())
    }

    private static func advance(
        _ attempt: inout Attempt, events: Int16, handshake: RelayHandshake, echo: [UInt8]?, now: Double,
        chunk: inout [UInt8]
    ) {
        if attempt.phase == .connecting {
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(attempt.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            let connected = error == 0 && events & Int16(POLLERR | POLLHUP) == 0
            attempt.phase = connected && LoopbackSocket.writeAll(attempt.fd, handshake.request) ? .awaitingAnswer : .done
            return
        }
        let received = chunk.withUnsafeMutableBytes { read(attempt.fd, $0.baseAddress!, $0.count) }
        if received < 0, errno == EAGAIN { return }
        guard received > 0 else {
            attempt.phase = .done
            return
        }
        if attempt.phase == .awaitingEcho {
            attempt.echoBytes += received
        } else {
            attempt.response += chunk[0..<received]
            guard let end = RelayHandshake.endOfResponseHead(in: attempt.response) else { return }
            guard handshake.accepts(attempt.response[0..<end]) else {
                attempt.phase = .done
                return
            }
            attempt.answeredAt = now
            guard let echo, LoopbackSocket.writeAll(attempt.fd, echo) else {
                attempt.phase = .done
                return
            }
            attempt.phase = .awaitingEcho
            attempt.echoBytes = attempt.response.count - end
        }
        if attempt.echoBytes >= (echo?.count ?? 1) - 1 {
            attempt.echoedAt = now
            attempt.phase = .done
        }
    }
}
