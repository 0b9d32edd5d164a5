import Glibc

/// Concurrent WebSocket handshakes: `count` connections started at once, each sending its upgrade request as soon
/// as it connects; measures when each `101 Switching Protocols` arrives.
struct HandshakeRun {
    struct Result {
        let attempted: Int
        /// Milliseconds from the start to each answered handshake, sorted.
        let answered: [Double]
        /// Connections refused, reset, closed or answered with something other than 101.
        let failed: Int

        var answeredWithinOneSecond: Int { self.answered.filter { $0 <= 1000 }.count }
    }

    let relay: RelayUnderTest
    let count: Int
    var timeout: Duration = .seconds(10)

    func measure() async throws -> Result {
        guard case .webSocket(let port) = self.relay.path else {
            throw BenchFailure("handshakes are measured on WebSocket relays only")
        }
        let (count, timeout) = (self.count, self.timeout)
        return await BenchThread.run { Self.run(port: port, count: count, timeout: timeout) }
    }

    /// One connection's progress.
    private struct Attempt {
        var fd: Int32
        var requestSent = false
        var response: [UInt8] = []
        var finished = false
    }

    private static func run(port: Int, count: Int, timeout: Duration) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let request = WebSocketClientFraming.upgradeRequest(port: port)
        var attempts: [Attempt] = []
        var failed = 0
        for _ in 0..<count {
            if let fd = try? LoopbackSocket.connect(port: port, nonBlocking: true) {
                attempts.append(Attempt(fd: fd))
            } else {
                failed += 1
            }
        }
        defer { attempts.forEach { close($0.fd) } }
        var answered: [Double] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while answered.count + failed < count, clock.now - start < timeout {
            var polls = attempts.filter { !$0.finished }.map {
                pollfd(fd: $0.fd, events: Int16($0.requestSent ? POLLIN : POLLOUT), revents: 0)
            }
            guard poll(&polls, nfds_t(polls.count), 100) >= 0 else { continue }
            let ready = Dictionary(uniqueKeysWithValues: polls.filter { $0.revents != 0 }.map { ($0.fd, $0.revents) })
            for index in attempts.indices where !attempts[index].finished {
                guard let events = ready[attempts[index].fd] else { continue }
                let outcome = Self.advance(&attempts[index], events: events, request: request, chunk: &chunk)
                switch outcome {
                case .pending: break
                case .answered: answered.append((clock.now - start).seconds * 1000)
                case .failed: failed += 1
                }
            }
        }
        return Result(attempted: count, answered: answered.sorted(), failed: failed)
    }

    private enum Outcome { case pending, answered, failed }

    private static func advance(_ attempt: inout Attempt, events: Int16, request: [UInt8], chunk: inout [UInt8]) -> Outcome {
        if !attempt.requestSent {
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(attempt.fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0, events & Int16(POLLERR | POLLHUP) == 0, LoopbackSocket.writeAll(attempt.fd, request) else {
                attempt.finished = true
                return .failed
            }
            attempt.requestSent = true
            return .pending
        }
        let received = chunk.withUnsafeMutableBytes { read(attempt.fd, $0.baseAddress!, $0.count) }
        if received < 0, errno == EAGAIN { return .pending }
        guard received > 0 else {
            attempt.finished = true
            return .failed
        }
        attempt.response += chunk[0..<received]
        guard let end = WebSocketClientFraming.endOfResponseHead(in: attempt.response) else { return .pending }
        attempt.finished = true
        return WebSocketClientFraming.isSwitchingProtocols(attempt.response[0..<end]) ? .answered : .failed
    }
}
