import Foundation
import Gateway
import Testing

/// RFC 6455 as a hand-written client meets it on both data paths: every case of `WebSocketConformanceCase.all` runs
/// against the splice engine and against NIO's event loops, over loopback. Every wait is a blocking receive bounded
/// by the socket's timeout. One case at a time: each starts a gateway of its own, and 158 at once held the test
/// process past a thousand descriptors.
@Suite("WebSocket conformance", .serialized)
struct WebSocketConformanceTests {
    @Test(arguments: GatewayDataPath.allCases, WebSocketConformanceCase.all)
    func conformance(path: GatewayDataPath, case: WebSocketConformanceCase) async throws {
        let resolver = TestTokenResolver()
        let desktop = try await GatewayProtocolLiveTests.Desktop.make(resolver)
        let limit: (inout GatewayConfiguration) -> Void = { $0.maxFrameSize = WebSocketConformanceCase.maxFrame }
        try await withLiveGateway(path, resolver: resolver, configure: limit) { _, port in
            switch (`case`.sending, `case`.expected) {
            case (.request(let request), .response(let status, let headers)):
                try await Self.request(request, port: port, token: desktop.token, status: status, headers: headers)
            case (.frames(let frames), .exchange(let replies, let relayed, .staysOpen)):
                let (browser, connection) = try await Self.open(port: port, desktop: desktop, sending: frames)
                try await Self.staysOpen(browser, connection, replies: replies, relayed: relayed)
            case (.frames(let frames), .exchange(let replies, let relayed, .closes(let code))):
                let (browser, connection) = try await Self.open(port: port, desktop: desktop, sending: frames)
                try await Self.closes(
                    browser, connection, code: code, replies: replies, relayed: relayed,
                    exactly: `case`.relaysExactly, path: path)
            default:
                Issue.record("a case's sending and expectation do not match")
            }
        }
    }

    /// Sends an HTTP request and checks the answer's status and headers.
    static func request(_ request: String, port: Int, token: String, status: Int, headers: [String: String]) async throws {
        let text = request.replacing("{token}", with: token).replacing("{port}", with: "\(port)")
        let response = try await offThePool { try RawHTTPResponse.read(port: port, request: Array(text.utf8)) }
        #expect(response.status == status, "\(response.lines)")
        for (name, value) in headers {
            #expect(response.header(name) == value, "\(name) in \(response.lines)")
        }
    }

    /// Upgrades, takes the gateway's connection to the desktop, then sends the case's frames.
    static func open(
        port: Int, desktop: GatewayProtocolLiveTests.Desktop, sending frames: [UInt8]
    ) async throws -> (RawWebSocket, BlockingSocket) {
        let browser = try await offThePool { try RawWebSocket.upgrade(port: port, token: desktop.token) }
        let connection = try await desktop.accept()
        try await offThePool { try browser.send(frames) }
        return (browser, connection)
    }

    /// Exactly the replies and relayed bytes, then a closing handshake of the client's own that the gateway answers.
    static func staysOpen(
        _ browser: RawWebSocket, _ connection: BlockingSocket, replies: [RawWebSocket.Frame], relayed: [UInt8]
    ) async throws {
        let answered = try await offThePool { try (0..<replies.count).map { _ in try browser.receiveReply() } }
        #expect(answered == replies)
        let reached = try await offThePool { try connection.receive(exactly: relayed.count) }
        #expect(reached == relayed)
        try await offThePool { try browser.send(WebSocketConformanceCase.close(1000)) }
        #expect(try await offThePool { try browser.receiveReply().closeCode } == 1000)
        #expect(try await offThePool { try browser.receivesEnd() })
        #expect(try await offThePool { try connection.receiveUntilEnd() } == [])
    }

    /// At most the replies and relayed bytes (exactly the relayed bytes when `exactly`), then the gateway's Close
    /// with `code` and the end of the connection.
    static func closes(
        _ browser: RawWebSocket, _ connection: BlockingSocket, code: UInt16, replies: [RawWebSocket.Frame],
        relayed: [UInt8], exactly: Bool, path: GatewayDataPath
    ) async throws {
        var answered = try await offThePool { try browser.receiveRepliesThroughClose() }
        let close = answered.removeLast()
        #expect(close.closeCode == code)
        #expect(replies.starts(with: answered), "\(answered)")
        #expect(try await offThePool { try browser.receivesEnd() })
        let reached = try await offThePool { try connection.receiveUntilEnd() }
        #expect(relayed.starts(with: reached), "\(reached.count) bytes reached the desktop, not a prefix of those sent")
        guard exactly else { return }
        // Compared as a Bool: the expectation would otherwise print every byte of both.
        let same = reached.elementsEqual(relayed)
        #expect(same, "\(reached.count) bytes reached the desktop, \(relayed.count) expected")
    }
}

extension RawWebSocket {
    /// The next frame other than the gateway's keep-alive pings.
    func receiveReply() throws -> Frame {
        while true {
            let frame = try self.receiveFrame()
            if frame != Frame(opcode: 0x9, payload: []) { return frame }
        }
    }

    /// Replies up to and including the gateway's Close.
    func receiveRepliesThroughClose() throws -> [Frame] {
        var frames: [Frame] = []
        repeat { frames.append(try self.receiveReply()) } while frames.last?.opcode != 0x8
        return frames
    }
}

/// An HTTP response's status line and headers, as read off a blocking socket.
struct RawHTTPResponse {
    let lines: [String]

    var status: Int? { self.lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } }

    /// The value of the header `name` (compared ignoring case).
    func header(_ name: String) -> String? {
        for line in self.lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].lowercased() == name.lowercased() {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// Connects to the gateway, sends `request` and reads the response up to its blank line.
    static func read(port: Int, request: [UInt8]) throws -> RawHTTPResponse {
        let socket = try BlockingSocket.connected(to: port)
        try socket.send(request)
        var head: [UInt8] = []
        while !(head.count >= 4 && Array(head.suffix(4)) == Array("\r\n\r\n".utf8)) {
            let byte = try socket.receive(exactly: 1)
            guard !byte.isEmpty else { throw SocketFailure(call: "response: connection closed", code: 0) }
            head += byte
        }
        let text = String(decoding: head.dropLast(4), as: UTF8.self)
        return RawHTTPResponse(lines: text.components(separatedBy: "\r\n"))
    }
}
