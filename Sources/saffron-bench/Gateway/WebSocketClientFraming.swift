/// The client half of RFC 6455 that the load client needs: the upgrade request, masked binary frames, and counting
/// the payload of the server's frames whatever the read boundaries.
enum WebSocketClientFraming {
    /// The token every relay under test accepts (16–128 URL-safe characters, as the gateway requires).
    static let token = "saffron-bench-token-0001"

    /// An upgrade request for `/ws/{token}` offering the `binary` subprotocol, as spice-html5 sends it.
    static func upgradeRequest(port: Int) -> [UInt8] {
        Array(
            """
            GET /ws/\(token) HTTP/1.1\r
            Host: 127.0.0.1:\(port)\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: c2FmZnJvbi1iZW5jaC1rZXk=\r
            Sec-WebSocket-Version: 13\r
            Sec-WebSocket-Protocol: binary\r
            Origin: http://127.0.0.1\r
            \r

            """.utf8)
    }

    /// A client frame (clients must mask) carrying `payload` as binary data.
    static func maskedBinaryFrame(_ payload: [UInt8]) -> [UInt8] {
        let mask: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
        var frame: [UInt8] = [0x82]
        switch payload.count {
        case ..<126:
            frame.append(0x80 | UInt8(payload.count))
        case ..<65536:
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        default:
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xff) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset & 3] }
        return frame
    }
}

/// Counts the data payload in a stream of unmasked server frames; headers and control frames are not counted.
struct FrameCounter {
    private var header: [UInt8] = []
    private var remaining = 0
    private var isData = true

    /// Consumes bytes as read from the socket and returns how many of them were data payload.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Int {
        var payload = 0
        var index = 0
        while index < bytes.count {
            if self.remaining > 0 {
                let taken = min(self.remaining, bytes.count - index)
                if self.isData { payload += taken }
                self.remaining -= taken
                index += taken
                continue
            }
            self.header.append(bytes[index])
            index += 1
            self.finishHeaderIfComplete()
        }
        return payload
    }

    private mutating func finishHeaderIfComplete() {
        guard self.header.count >= 2 else { return }
        let shortLength = Int(self.header[1] & 0x7f)
        let lengthBytes = shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0
        let maskBytes = self.header[1] & 0x80 != 0 ? 4 : 0
        guard self.header.count == 2 + lengthBytes + maskBytes else { return }
        var length = shortLength
        if lengthBytes > 0 {
            length = self.header[2..<(2 + lengthBytes)].reduce(0) { $0 << 8 | Int($1) }
        }
        let opcode = self.header[0] & 0x0f
        self.isData = opcode == 0 || opcode == 1 || opcode == 2
        self.remaining = length
        self.header.removeAll(keepingCapacity: true)
    }
}
