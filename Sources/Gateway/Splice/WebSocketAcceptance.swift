import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOWebSocket

/// The bytes the splice path writes itself for a WebSocket upgrade (RFC 6455 section 4.2.2): the `101` answer and
/// Close frames, which NIO's upgrader and encoder would write on the event-loop path.
enum WebSocketAcceptance {
    /// The key of a well-formed upgrade request (GET, HTTP/1.1, `Upgrade: websocket`, `Connection: Upgrade`, version
    /// 13, one key); nil for anything else, which `HTTPRefusalHandler` answers. The path is the caller's to check.
    static func key(of head: HTTPRequestHead) -> String? {
        guard head.method == .GET, head.version.major == 1, head.version.minor >= 1,
            Self.listContains(head.headers["Upgrade"], "websocket"),
            Self.listContains(head.headers["Connection"], "upgrade"),
            head.headers["Sec-WebSocket-Version"] == ["13"]
        else { return nil }
        let keys = head.headers["Sec-WebSocket-Key"]
        guard keys.count == 1, let key = keys.first?.trimmingCharacters(in: .whitespaces), !key.isEmpty else {
            return nil
        }
        return key
    }

    /// The `101 Switching Protocols` answer to an upgrade request with `key`, naming the `binary` subprotocol when
    /// the browser offered it.
    static func switchingProtocols(key: String, head: HTTPRequestHead) -> [UInt8] {
        var response =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(Self.accept(key: key))\r\n"
        for (name, value) in UpgradeHandling.responseHeaders(for: head) ?? [:] {
            response += "\(name): \(value)\r\n"
        }
        return Array((response + "\r\n").utf8)
    }

    /// `Sec-WebSocket-Accept`: the base64 SHA-1 of the key and the protocol's GUID.
    static func accept(key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }

    /// The Close frame `WebSocketFraming.closeFrame` makes for the refusal, as bytes on the wire (a server's frame:
    /// unmasked, its payload at most 125 bytes, so a one-byte length).
    static func closeFrame(_ refusal: GatewayRefusal) -> [UInt8] {
        let payload = WebSocketFraming.closeFrame(refusal, allocator: ByteBufferAllocator()).data
        return [0x88, UInt8(payload.readableBytes)] + payload.readableBytesView
    }

    /// Whether a comma-separated header list holds `token`, ignoring case.
    private static func listContains(_ values: [String], _ token: String) -> Bool {
        values.contains { value in
            value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == token }
        }
    }
}
