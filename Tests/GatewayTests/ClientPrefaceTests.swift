@testable import Gateway
import Testing

/// The line the broker's relays name their client with (PROXY protocol v1), as written and as read.
@Suite struct ClientPrefaceTests {
    @Test func aLineReadsBackAsTheClientItNames() {
        let line = ClientPreface.line(client: "198.18.1.2", port: 5999)
        #expect(String(decoding: line, as: UTF8.self) == "PROXY TCP4 198.18.1.2 127.0.0.1 0 5999\r\n")
        #expect(ClientPreface.read(line + Array("REDQ".utf8)) == .client("198.18.1.2", length: line.count))
        let six = ClientPreface.line(client: "2001:db8::7", port: 5999)
        #expect(ClientPreface.read(six) == .client("2001:db8::7", length: six.count))
    }

    @Test func aLineArrivesInPieces() {
        let line = ClientPreface.line(client: "198.18.1.2", port: 5999)
        for cut in [0, 1, 5, 6, 20, line.count - 1] {
            #expect(ClientPreface.read(line.prefix(cut)) == .incomplete, "\(cut) bytes")
        }
    }

    @Test(arguments: [
        "REDQ\u{2}\0\0\0", "PROXY TCP4 198.18.1.2 127.0.0.1 0 5999\n", "PROXY UNKNOWN\r\n",
        "PROXY TCP4 not-an-address 127.0.0.1 0 5999\r\n", "PROXY TCP6 198.18.1.2 ::1 0 5999\r\n",
        "PROXY TCP4 198.18.1.2 127.0.0.1 0 99999\r\n", "PROXY TCP4 198.18.1.2 127.0.0.1 0\r\n",
        "PROXY TCP4 " + String(repeating: "1", count: 120),
    ])
    func whatIsNotALineIsMalformed(_ text: String) {
        #expect(ClientPreface.read(Array(text.utf8)) == .malformed, "\(text.debugDescription)")
    }
}
