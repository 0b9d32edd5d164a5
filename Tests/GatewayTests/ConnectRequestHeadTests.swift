@testable import Gateway
import Testing

/// The proxy's reading of a request head, as the splice relays hand it over.
@Suite struct ConnectRequestHeadTests {
    private func read(_ head: String) -> Result<ConnectTarget, ConnectRequestHead.Refusal> {
        Array(head.utf8).withUnsafeBytes { ConnectRequestHead.target(of: $0) }
    }

    private func status(_ head: String) -> Int? {
        if case .failure(let refused) = self.read(head) { return refused.refusal.status }
        return nil
    }

    @Test func aConnectToAnAddressWithAPortNamesItsEndpoint() throws {
        #expect(try self.read("CONNECT 192.0.2.7:5900 HTTP/1.1\r\nHost: 192.0.2.7:5900\r\n\r\n").get()
            == ConnectTarget(host: "192.0.2.7", port: 5900))
        #expect(try self.read("CONNECT [2001:db8::7]:5901 HTTP/1.0\r\n\r\n").get() == ConnectTarget(host: "2001:db8::7", port: 5901))
        #expect(try self.read("CONNECT 192.0.2.7:5900 HTTP/1.1\r\nProxy-Authorization:\r\nUser-Agent: remote-viewer\t1\r\n\r\n").get()
            == ConnectTarget(host: "192.0.2.7", port: 5900))
    }

    @Test(arguments: [
        "GET http://192.0.2.7:5900/ HTTP/1.1\r\nHost: x\r\n\r\n", "POST / HTTP/1.1\r\n\r\n", "connect 192.0.2.7:5900 HTTP/1.1\r\n\r\n",
    ])
    func otherMethodsAre405(_ head: String) {
        #expect(self.status(head) == 405)
    }

    @Test(arguments: [
        "\r\n\r\n", "CONNECT 192.0.2.7:5900\r\n\r\n", "CONNECT  192.0.2.7:5900 HTTP/1.1\r\n\r\n",
        "CONNECT 192.0.2.7:5900 HTTP/2\r\n\r\n", "CONNECT 192.0.2.7:5900 HTTP/1.1 extra\r\n\r\n",
        "CONNECT localhost:5900 HTTP/1.1\r\n\r\n", "CONNECT 192.0.2.7 HTTP/1.1\r\n\r\n",
        "CONNECT 192.0.2.7:5900 HTTP/1.1\r\nno colon\r\n\r\n", "CONNECT 192.0.2.7:5900 HTTP/1.1\r\n folded: x\r\n\r\n",
        "CONNECT 192.0.2.7:5900 HTTP/1.1\r\nBad Name: x\r\n\r\n", "CONNECT 192.0.2.7:5900 HTTP/1.1\r\nX: a\u{7}b\r\n\r\n",
        "CONNECT 192.0.2.7:5900 HTTP/1.1\nHost: x\r\n\r\n", "NOT HTTP AT ALL\r\n\r\n", "C\u{0}NNECT 192.0.2.7:5900 HTTP/1.1\r\n\r\n",
    ])
    func unreadableRequestsAre400(_ head: String) {
        #expect(self.status(head) == 400)
    }
}
