import Testing

/// One RFC 6455 case, in the manner of the Autobahn test suite: what a hand-written client sends and what it must
/// observe. The same table runs against both data paths (`WebSocketConformanceTests`).
struct WebSocketConformanceCase: Sendable, CustomTestStringConvertible {
    /// The Autobahn-like group a case belongs to.
    enum Group: String, Sendable {
        case handshake, framing, reservedBits = "reserved bits and opcodes", control = "control frames"
        case closing = "close handshake", text = "UTF-8 and text", limits
    }

    /// What the client sends.
    enum Sending: Sendable {
        /// A whole HTTP request (`{token}` stands for a token the gateway will accept, `{port}` for its port).
        case request(String)
        /// Frames after a good upgrade, in this order (the last is the one that breaks the protocol, if any: bytes
        /// after it would be unread when the gateway closes, and the kernel would answer them with a reset).
        case frames([UInt8])
    }

    /// How the exchange ends.
    enum Ending: Sendable, Equatable {
        /// The gateway keeps the connection: the client's own Close 1000 then gets Close 1000.
        case staysOpen
        /// The gateway sends a Close with this code and closes the connection.
        case closes(UInt16)
    }

    /// What the client must observe.
    enum Expected: Sendable {
        /// An HTTP answer with this status and at least these headers (names in any case).
        case response(status: Int, headers: [String: String])
        /// Frames from the gateway before its Close (its keep-alive pings aside), the bytes relayed to the desktop,
        /// and the ending. When the connection closes, both are upper bounds (the gateway may drop what it had not
        /// passed on yet, never send more) unless the case `relaysExactly`; when it stays open they are exact.
        case exchange(replies: [RawWebSocket.Frame], relayed: [UInt8], ending: Ending)
    }

    let group: Group
    let name: String
    let sending: Sending
    let expected: Expected
    /// The relayed bytes are exact even though the connection closes: data the client sent before its own Close
    /// must reach the desktop (RFC 6455 sections 1.4 and 7.1).
    var relaysExactly = false

    var testDescription: String { "\(self.group.rawValue): \(self.name)" }
}

extension WebSocketConformanceCase {
    /// The largest frame the gateway under test takes (`maxFrameSize`).
    static let maxFrame = 1024

    /// Every case, group by group.
    static let all: [WebSocketConformanceCase] =
        handshake + framing + reservedBits + control + closing + text + limits

    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, reserved: UInt8 = 0) -> [UInt8] {
        RawWebSocket.frame(opcode: opcode, payload, fin: fin, reserved: reserved)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// A Close frame's payload: the code, then the reason's bytes.
    static func close(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
        frame(0x8, [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
    }

    static func exchange(
        _ group: Group, _ name: String, _ frames: [UInt8], replies: [RawWebSocket.Frame] = [], relayed: [UInt8] = [],
        exactly: Bool = false, _ ending: Ending
    ) -> WebSocketConformanceCase {
        .init(
            group: group, name: name, sending: .frames(frames),
            expected: .exchange(replies: replies, relayed: relayed, ending: ending), relaysExactly: exactly)
    }

    static func request(
        _ name: String, _ request: String, status: Int, headers: [String: String] = [:]
    ) -> WebSocketConformanceCase {
        .init(group: .handshake, name: name, sending: .request(request), expected: .response(status: status, headers: headers))
    }
}

extension WebSocketConformanceCase {
    static func upgrade(version: String?, key: Bool = true) -> String {
        "GET /ws/{token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + (key ? "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" : "")
            + (version.map { "Sec-WebSocket-Version: \($0)\r\n" } ?? "")
            + "Sec-WebSocket-Protocol: binary\r\nOrigin: http://127.0.0.1\r\n\r\n"
    }

    /// Section 4: the opening handshake, and the refusals that must name the version spoken (sections 4.2.2, 4.4).
    static let handshake: [WebSocketConformanceCase] = [
        request(
            "version 13 is accepted with the binary subprotocol", upgrade(version: "13"), status: 101,
            headers: ["Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol": "binary"]),
        request(
            "version 8 is refused naming version 13", upgrade(version: "8"), status: 400,
            headers: ["Sec-WebSocket-Version": "13"]),
        request(
            "no version is refused naming version 13", upgrade(version: nil), status: 400,
            headers: ["Sec-WebSocket-Version": "13"]),
        request("no key is refused", upgrade(version: "13", key: false), status: 400),
        request(
            "a plain GET is told to upgrade", "GET /ws/{token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n", status: 426,
            headers: ["Upgrade": "websocket", "Sec-WebSocket-Version": "13"]),
    ]

    /// Sections 5.2 to 5.4: frames, their lengths, masking and fragmentation.
    static let framing: [WebSocketConformanceCase] = [
        exchange(.framing, "a binary frame is relayed", frame(0x2, bytes("hello")), relayed: bytes("hello"), .staysOpen),
        exchange(.framing, "an empty binary frame relays nothing", frame(0x2, []), .staysOpen),
        exchange(
            .framing, "a 16-bit length frame is relayed", frame(0x2, [UInt8](repeating: 0x61, count: 300)),
            relayed: [UInt8](repeating: 0x61, count: 300), .staysOpen),
        exchange(
            .framing, "a message in three fragments is relayed",
            frame(0x2, bytes("frag"), fin: false) + frame(0x0, bytes("men"), fin: false) + frame(0x0, bytes("ted")),
            relayed: bytes("fragmented"), .staysOpen),
        exchange(
            .framing, "empty fragments are fine",
            frame(0x2, [], fin: false) + frame(0x0, bytes("x"), fin: false) + frame(0x0, []), relayed: bytes("x"),
            .staysOpen),
        exchange(.framing, "an unmasked frame fails", RawWebSocket.frame(opcode: 0x2, [1, 2, 3], masked: false), .closes(1002)),
        exchange(.framing, "a continuation with no message open fails", frame(0x0, bytes("lost")), .closes(1002)),
        exchange(
            .framing, "a continuation after a final frame fails", frame(0x2, bytes("done")) + frame(0x0, bytes("more")),
            relayed: bytes("done"), .closes(1002)),
        exchange(
            .framing, "a new message inside a fragmented one fails",
            frame(0x2, bytes("first"), fin: false) + frame(0x2, bytes("second")), relayed: bytes("first"),
            .closes(1002)),
    ]

    /// Section 5.2: reserved bits with no extension negotiated, and reserved opcodes.
    static let reservedBits: [WebSocketConformanceCase] =
        [UInt8(4), 2, 1].map { bit in
            exchange(.reservedBits, "RSV bit \(bit) on a data frame fails", frame(0x2, [1], reserved: bit), .closes(1002))
        }
        + [exchange(.reservedBits, "RSV bits on a ping fail", frame(0x9, [], reserved: 7), .closes(1002))]
        + [UInt8(3), 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF].map { opcode in
            exchange(.reservedBits, "reserved opcode \(opcode) fails", frame(opcode, [1]), .closes(1002))
        }

    /// Section 5.5: pings, pongs, and what no control frame may be.
    static let control: [WebSocketConformanceCase] = [
        exchange(
            .control, "a ping is answered with its payload", frame(0x9, bytes("hello")),
            replies: [.init(opcode: 0xA, payload: bytes("hello"))], .staysOpen),
        exchange(
            .control, "a ping of 125 bytes is answered", frame(0x9, [UInt8](repeating: 0xFE, count: 125)),
            replies: [.init(opcode: 0xA, payload: [UInt8](repeating: 0xFE, count: 125))], .staysOpen),
        exchange(.control, "an unsolicited pong is ignored", frame(0xA, bytes("nobody asked")), .staysOpen),
        exchange(
            .control, "a ping between fragments is answered and the message relayed",
            frame(0x2, bytes("frag"), fin: false) + frame(0x9, bytes("p")) + frame(0x0, bytes("mented")),
            replies: [.init(opcode: 0xA, payload: bytes("p"))], relayed: bytes("fragmented"), .staysOpen),
        exchange(
            .control, "a pong between fragments is ignored",
            frame(0x2, bytes("a"), fin: false) + frame(0xA, []) + frame(0x0, bytes("b")), relayed: bytes("ab"),
            .staysOpen),
        exchange(.control, "a ping of 126 bytes fails", frame(0x9, [UInt8](repeating: 1, count: 126)), .closes(1002)),
        exchange(.control, "a fragmented ping fails", frame(0x9, bytes("a"), fin: false), .closes(1002)),
        exchange(.control, "a fragmented Close fails", frame(0x8, [0x03, 0xE8], fin: false), .closes(1002)),
    ]

    /// Sections 5.5.1, 7.1.5 and 7.4: the closing handshake and the codes allowed on the wire.
    static let closing: [WebSocketConformanceCase] =
        [
            exchange(.closing, "a Close without a body is answered with 1000", frame(0x8, []), .closes(1000)),
            exchange(.closing, "a Close with a reason is echoed", close(1000, bytes("bye")), .closes(1000)),
            exchange(
                .closing, "a Close with a UTF-8 reason is echoed", close(4001, bytes("κόσμε")), .closes(4001)),
            exchange(.closing, "a Close with a one-byte body fails", frame(0x8, [0x03]), .closes(1002)),
            exchange(
                .closing, "a Close with a reason not UTF-8 fails with 1007",
                close(1000, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80]),
                .closes(1007)),
            exchange(.closing, "a Close with a truncated UTF-8 reason fails with 1007", close(1000, [0xCE]), .closes(1007)),
            exchange(
                .closing, "data sent with the Close in one write is relayed", frame(0x2, bytes("hello")) + close(1000),
                relayed: bytes("hello"), exactly: true, .closes(1000)),
            exchange(
                .closing, "frames and a fragmented message sent with the Close are relayed",
                frame(0x2, bytes("one")) + frame(0x2, bytes("two"), fin: false) + frame(0x0, bytes("three"))
                    + close(1000),
                relayed: bytes("onetwothree"), exactly: true, .closes(1000)),
            exchange(
                .closing, "data over the gateway's read buffer sent with the Close is relayed",
                dataBeforeClose.flatMap { frame(0x2, $0) } + close(1000), relayed: dataBeforeClose.flatMap { $0 },
                exactly: true, .closes(1000)),
        ]
        + [UInt16(1000), 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999].map {
            exchange(.closing, "Close code \($0) is echoed", close($0), .closes($0))
        }
        + [UInt16(0), 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535].map {
            exchange(.closing, "Close code \($0) fails", close($0), .closes(1002))
        }

    /// Frames of `maxFrame` bytes, 24 KiB in all: more than the splice engine reads from a browser at once (16 KiB),
    /// each byte telling its place so a lost or reordered stretch shows.
    static let dataBeforeClose: [[UInt8]] = (0..<24).map { index in
        (0..<maxFrame).map { UInt8(truncatingIfNeeded: index * maxFrame + $0 + index) }
    }

    /// Sections 5.6 and 8.1: the gateway carries SPICE in binary frames; text frames are refused as unsupported data.
    static let text: [WebSocketConformanceCase] = [
        exchange(.text, "a text frame is refused", frame(0x1, bytes("Hello")), .closes(1003)),
        exchange(.text, "an empty text frame is refused", frame(0x1, []), .closes(1003)),
        exchange(.text, "a text frame not UTF-8 is refused", frame(0x1, [0xCE, 0xBA, 0xED, 0xA0, 0x80]), .closes(1003)),
        exchange(.text, "a fragmented text message is refused", frame(0x1, bytes("Hel"), fin: false), .closes(1003)),
        exchange(
            .text, "binary data before a text frame is relayed",
            frame(0x2, bytes("bin")) + frame(0x1, bytes("text")), relayed: bytes("bin"), .closes(1003)),
    ]

    /// The gateway's own limit: frames of at most `maxFrame` bytes (section 7.4.1's 1009). Only the header and a few
    /// bytes of an oversized frame are sent: the gateway stops reading at the header.
    static let limits: [WebSocketConformanceCase] = [
        exchange(
            .limits, "a frame of the largest size is relayed", frame(0x2, [UInt8](repeating: 7, count: maxFrame)),
            relayed: [UInt8](repeating: 7, count: maxFrame), .staysOpen),
        exchange(
            .limits, "a frame one byte over fails with 1009",
            Array(frame(0x2, [UInt8](repeating: 7, count: maxFrame + 1)).prefix(12)), .closes(1009)),
        exchange(
            .limits, "a 64-bit length fails with 1009",
            [0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x37, 0xFA, 0x21, 0x3D], .closes(1009)),
        exchange(
            .limits, "the limit is a frame's, not a message's",
            frame(0x2, [UInt8](repeating: 1, count: maxFrame), fin: false) + frame(0x0, [UInt8](repeating: 2, count: maxFrame)),
            relayed: [UInt8](repeating: 1, count: maxFrame) + [UInt8](repeating: 2, count: maxFrame), .staysOpen),
    ]
}
