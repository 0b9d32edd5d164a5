import NIOCore
import NIOWebSocket

/// Building the frames the gateway sends to browsers (server frames are never masked).
enum WebSocketFraming {
    /// Calls `body` with binary frames of at most `maxFrameSize` payload bytes covering `buffer`, in order.
    ///
    /// The frames' payloads are slices of `buffer`: no bytes are copied.
    static func forEachFrame(of buffer: ByteBuffer, maxFrameSize: Int, _ body: (WebSocketFrame) -> Void) {
        var buffer = buffer
        while buffer.readableBytes > maxFrameSize, let slice = buffer.readSlice(length: maxFrameSize) {
            body(WebSocketFrame(fin: true, opcode: .binary, data: slice))
        }
        body(WebSocketFrame(fin: true, opcode: .binary, data: buffer))
    }

    /// A Close frame carrying the refusal's code and reason (truncated to fit a control frame).
    static func closeFrame(_ refusal: GatewayRefusal, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 125)
        data.writeInteger(refusal.closeCode)
        data.writeString(self.truncated(refusal.reason, maxBytes: 123))
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }

    /// A ping with an empty payload.
    static func pingFrame(allocator: ByteBufferAllocator) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .ping, data: allocator.buffer(capacity: 0))
    }

    /// A pong echoing the ping's application data.
    static func pongFrame(_ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: .pong, data: data)
    }

    /// The longest prefix of `text` whose UTF-8 form fits in `maxBytes`, cut on a character boundary.
    static func truncated(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            guard used + size <= maxBytes else { break }
            result.append(character)
            used += size
        }
        return result
    }
}
