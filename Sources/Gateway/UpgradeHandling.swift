import NIOHTTP1

/// What the gateway accepts in an upgrade request: the path `/ws/<token>` and the `binary` subprotocol.
enum UpgradeHandling {
    /// The only subprotocol spoken: raw bytes in binary frames, as spice-html5's `new WebSocket(url, 'binary')` asks.
    static let binarySubprotocol = "binary"

    /// The token in a request target of exactly `/ws/<token>`, with 16 to 128 characters from `[A-Za-z0-9_-]`.
    static func token(fromURI uri: String) -> String? {
        let prefix = "/ws/"
        guard uri.hasPrefix(prefix) else { return nil }
        let token = uri.utf8.dropFirst(prefix.utf8.count)
        guard (16...128).contains(token.count), token.allSatisfy(Self.isTokenByte) else { return nil }
        return String(token)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// Whether the client offered the `binary` subprotocol in any `Sec-WebSocket-Protocol` header.
    static func offersBinary(_ headers: HTTPHeaders) -> Bool {
        headers["Sec-WebSocket-Protocol"].contains { value in
            value.split(separator: ",").contains { $0.trimmingSpaces() == Self.binarySubprotocol }
        }
    }

    /// The extra response headers for an acceptable upgrade request, or nil to refuse the upgrade (then answered 404).
    ///
    /// `base64` is never selected: a client offering only that gets no subprotocol and gives up on its own.
    static func responseHeaders(for head: HTTPRequestHead) -> HTTPHeaders? {
        guard Self.token(fromURI: head.uri) != nil else { return nil }
        var headers = HTTPHeaders()
        if Self.offersBinary(head.headers) {
            headers.add(name: "Sec-WebSocket-Protocol", value: Self.binarySubprotocol)
        }
        return headers
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " || result.first == "\t" { result.removeFirst() }
        while result.last == " " || result.last == "\t" { result.removeLast() }
        return result
    }
}
