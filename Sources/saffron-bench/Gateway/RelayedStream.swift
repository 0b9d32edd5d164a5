import Glibc

/// How the load client reaches the target: straight over TCP, or through a WebSocket relay listening on a port.
enum RelayPath: Sendable {
    case direct(targetPort: Int)
    case webSocket(port: Int)
}

/// One blocking client connection to the bench target through a relay: upgraded if the path is a WebSocket relay,
/// with the target's mode byte already sent.
struct RelayedStream {
    let fd: Int32
    private var counter: FrameCounter?
    private var leftover: [UInt8]

    /// Connects, upgrades and chooses the target's mode. A read that waits more than 10 s fails instead of hanging.
    static func open(_ path: RelayPath, mode: BenchTarget.Mode) throws -> RelayedStream {
        switch path {
        case .direct(let port):
            let fd = try LoopbackSocket.connect(port: port)
            LoopbackSocket.setReceiveTimeout(fd, seconds: 10)
            let stream = RelayedStream(fd: fd, counter: nil, leftover: [])
            try stream.sendOrThrow([mode.rawValue])
            return stream
        case .webSocket(let port):
            let fd = try LoopbackSocket.connect(port: port)
            LoopbackSocket.setReceiveTimeout(fd, seconds: 10)
            guard LoopbackSocket.writeAll(fd, WebSocketClientFraming.upgradeRequest(port: port)) else {
                Glibc.close(fd)
                throw BenchFailure("the relay on port \(port) closed before the upgrade request was sent")
            }
            let rest = try Self.readResponseHead(fd, port: port)
            let stream = RelayedStream(fd: fd, counter: FrameCounter(), leftover: rest)
            try stream.sendOrThrow([mode.rawValue])
            return stream
        }
    }

    /// Sends `payload` as it goes on the wire of this path (one masked binary frame through a WebSocket relay).
    func send(_ payload: [UInt8]) -> Bool {
        LoopbackSocket.writeAll(self.fd, self.counter == nil ? payload : WebSocketClientFraming.maskedBinaryFrame(payload))
    }

    /// Reads once into `buffer`; returns the payload bytes received, or nil when the connection ended.
    mutating func readPayload(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if !self.leftover.isEmpty {
            let bytes = self.leftover
            self.leftover = []
            return bytes.withUnsafeBytes { self.count($0) }
        }
        let received = read(self.fd, buffer.baseAddress!, buffer.count)
        guard received > 0 else { return nil }
        return self.count(UnsafeRawBufferPointer(rebasing: buffer[0..<received]))
    }

    /// Reads until exactly `payload` bytes of payload arrived (the round-trip measurement's echo).
    mutating func awaitPayload(_ payload: Int, buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var received = 0
        while received < payload {
            guard let count = self.readPayload(into: buffer) else { return false }
            received += count
        }
        return true
    }

    /// Unblocks a reader on another thread and ends the connection.
    func shutDown() {
        Glibc.shutdown(self.fd, Int32(SHUT_RDWR))
    }

    func close() {
        Glibc.close(self.fd)
    }

    private mutating func count(_ bytes: UnsafeRawBufferPointer) -> Int {
        self.counter == nil ? bytes.count : self.counter!.consume(bytes)
    }

    private func sendOrThrow(_ payload: [UInt8]) throws {
        guard self.send(payload) else {
            self.close()
            throw BenchFailure("the connection closed before the target's mode was chosen")
        }
    }

    private static func readResponseHead(_ fd: Int32, port: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            guard received > 0 else {
                let reason = received < 0 && errno == EAGAIN ? "did not answer the upgrade within 10 s" : "closed during the upgrade"
                Glibc.close(fd)
                throw BenchFailure("the relay on port \(port) \(reason)")
            }
            bytes += chunk[0..<received]
            if let end = WebSocketClientFraming.endOfResponseHead(in: bytes) {
                guard WebSocketClientFraming.isSwitchingProtocols(bytes[0..<end]) else {
                    Glibc.close(fd)
                    let head = String(decoding: bytes[0..<end], as: UTF8.self)
                    throw BenchFailure("the relay on port \(port) refused the upgrade: \(head.prefix(200))")
                }
                return Array(bytes[end...])
            }
        }
    }
}
