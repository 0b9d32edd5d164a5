import Glibc

/// How the load client reaches the target: straight over TCP, through a WebSocket relay listening on a port, or
/// through an HTTP CONNECT proxy listening on a port.
enum RelayPath: Sendable {
    case direct(targetPort: Int)
    case webSocket(port: Int)
    case connectProxy(port: Int, targetPort: Int)
    /// Saffron's SPICE gateway: each stream links as a display channel of the viewer the relay holds (see
    /// `SpiceBenchLink`).
    case spiceGateway(port: Int)

    /// The port the load client connects to.
    var port: Int {
        switch self {
        case .direct(let port), .webSocket(let port), .connectProxy(let port, _), .spiceGateway(let port): port
        }
    }

    /// What the relay must answer before it relays; nil when the client talks to the target itself.
    var handshake: RelayHandshake? {
        switch self {
        case .direct, .spiceGateway:
            nil
        case .webSocket(let port):
            RelayHandshake(name: "upgrade", request: WebSocketClientFraming.upgradeRequest(port: port), acceptedStatus: 101)
        case .connectProxy(_, let targetPort):
            RelayHandshake(
                name: "CONNECT",
                request: Array("CONNECT 127.0.0.1:\(targetPort) HTTP/1.1\r\nHost: 127.0.0.1:\(targetPort)\r\n\r\n".utf8),
                acceptedStatus: 200)
        }
    }

    /// Whether the target's bytes arrive in WebSocket frames rather than as they were sent.
    var isFramed: Bool {
        if case .webSocket = self { true } else { false }
    }
}

struct RelayedStream {
    let fd: Int32
    private var counter: FrameCounter?
    private var leftover: [UInt8]

    /// Connects, opens the relay and chooses the target's mode. A read that waits more than 10 s fails instead of
    /// hanging.
    static func open(_ path: RelayPath, mode: BenchTarget.Mode) throws -> RelayedStream {
        let fd = try LoopbackSocket.connect(port: path.port)
        LoopbackSocket.setReceiveTimeout(fd, seconds: 10)
        var rest: [UInt8] = []
        if case .spiceGateway(let port) = path {
            do {
                rest = try SpiceBenchLink.link(
                    fd, port: port, type: SpiceBenchLink.displayChannel, connectionID: SpiceBenchLink.session)
            } catch {
                Glibc.close(fd)
                throw error
            }
        }
        if let handshake = path.handshake {
            guard LoopbackSocket.writeAll(fd, handshake.request) else {
                Glibc.close(fd)
                throw BenchFailure("the relay on port \(path.port) closed before the \(handshake.name) request was sent")
            }
            rest = try Self.readResponseHead(fd, port: path.port, handshake: handshake)
        }
        let stream = RelayedStream(fd: fd, counter: path.isFramed ? FrameCounter() : nil, leftover: rest)
        try stream.sendOrThrow([mode.rawValue])
        return stream
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

    private static func readResponseHead(_ fd: Int32, port: Int, handshake: RelayHandshake) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let received = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            guard received > 0 else {
                let reason =
                    received < 0 && errno == EAGAIN
                    ? "did not answer the \(handshake.name) within 10 s" : "closed during the \(handshake.name)"
                Glibc.close(fd)
                throw BenchFailure("the relay on port \(port) \(reason)")
            }
            bytes += chunk[0..<received]
            if let end = RelayHandshake.endOfResponseHead(in: bytes) {
                guard handshake.accepts(bytes[0..<end]) else {
                    Glibc.close(fd)
                    let head = String(decoding: bytes[0..<end], as: UTF8.self)
                    throw BenchFailure("the relay on port \(port) refused the \(handshake.name): \(head.prefix(200))")
                }
                return Array(bytes[end...])
            }
        }
    }
}
