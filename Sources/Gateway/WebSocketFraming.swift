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

    /// The code that answers a browser's Close with `body`, or the refusal a body breaking RFC 6455 earns: an empty
    /// body is answered with 1000, a valid code with a UTF-8 reason is echoed (sections 5.5.1 and 7.4).
    static func answer(toCloseBody body: ByteBuffer) -> Result<UInt16, GatewayRefusal> {
        var body = body
        guard body.readableBytes != 0 else { return .success(1000) }
        guard let code = body.readInteger(as: UInt16.self) else { return .failure(.protocolError("Close body of one byte")) }
        guard Self.isValidCloseCode(code) else { return .failure(.protocolError("invalid close code")) }
        guard String(validating: body.readableBytesView, as: UTF8.self) != nil else {
            return .failure(.invalidPayload("Close reason not UTF-8"))
        }
        return .success(code)
    }

    /// Close codes a peer may send on the wire (RFC 6455 section 7.4 and IANA's registry): not 1004-1006 or 1015
    /// (reserved, never sent), nor the unassigned 1016-2999, nor anything outside 1000-4999.
    static func isValidCloseCode(_ code: UInt16) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
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

extension GatewayRefusal {
    /// A text frame: the gateway carries SPICE, binary, under the `binary` subprotocol (1003, "unsupported data").
    static let unsupportedData = GatewayRefusal(closeCode: 1003, reason: "text frames not supported")
    /// Data that is not what its frame says, such as a Close reason not UTF-8 (1007).
    static func invalidPayload(_ reason: String) -> GatewayRefusal {
        GatewayRefusal(closeCode: 1007, reason: reason)
    }
}
