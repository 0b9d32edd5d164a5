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

/// The proxy's book of connections and remembered grants, without sockets.
@Suite struct TunnelBookTests {
    let endpoint = ConnectTarget(host: "192.0.2.7", port: 5900)
    let now = ContinuousClock.now

    /// A book where connection 1 of 198.51.100.4 was granted the endpoint for `s1`, and connection 2 of the same
    /// client has just arrived.
    private func bookWithAGrant() -> TunnelBook {
        var book = TunnelBook(grantLifetime: .seconds(60))
        _ = book.accepted(1, client: "198.51.100.4", counted: true)
        let answer = book.granted(1, to: self.endpoint, sessionID: "s1", askedAt: book.revocations, now: self.now)
        #expect(answer == .open)
        _ = book.accepted(2, client: "198.51.100.4", counted: true)
        return book
    }

    @Test func aGrantCoversTheSameClientAndEndpointOnly() {
        var book = self.bookWithAGrant()
        let sameClient = book.admit(2, to: self.endpoint, now: self.now)
        _ = book.accepted(3, client: "198.51.100.5", counted: true)
        let otherClient = book.admit(3, to: self.endpoint, now: self.now)
        _ = book.accepted(4, client: "198.51.100.4", counted: true)
        let otherPort = book.admit(4, to: ConnectTarget(host: "192.0.2.7", port: 5901), now: self.now)
        #expect(sameClient == "s1")
        #expect(otherClient == nil)
        #expect(otherPort == nil)
        #expect(book.tunnelCount == 2)
    }

    @Test func revokingASessionForgetsItsGrantsAndNamesItsTunnels() {
        var book = self.bookWithAGrant()
        _ = book.admit(2, to: self.endpoint, now: self.now)
        let tunnels = book.revoke(sessionID: "s1")
        _ = book.accepted(3, client: "198.51.100.4", counted: true)
        let afterwards = book.admit(3, to: self.endpoint, now: self.now)
        #expect(Set(tunnels) == [1, 2])
        #expect(afterwards == nil)
    }

    @Test func anAnswerAskedBeforeARevocationIsAskedAgain() {
        var book = TunnelBook(grantLifetime: .seconds(60))
        _ = book.accepted(1, client: "198.51.100.4", counted: true)
        let askedAt = book.revocations
        _ = book.revoke(sessionID: "another")
        let stale = book.granted(1, to: self.endpoint, sessionID: "s1", askedAt: askedAt, now: self.now)
        let fresh = book.granted(1, to: self.endpoint, sessionID: "s1", askedAt: book.revocations, now: self.now)
        _ = book.ended(1)
        let late = book.granted(1, to: self.endpoint, sessionID: "s1", askedAt: book.revocations, now: self.now)
        #expect(stale == .askAgain)
        #expect(fresh == .open)
        #expect(late == .gone)
    }

    @Test func aGrantPastItsLifetimeIsAskedAgain() {
        var book = self.bookWithAGrant()
        let expired = book.admit(2, to: self.endpoint, now: self.now + .seconds(61))
        let thenAgainInTime = book.admit(2, to: self.endpoint, now: self.now)
        #expect(expired == nil)
        #expect(thenAgainInTime == nil)  // forgotten, not just skipped
    }

    @Test func aShutBookTakesNoConnection() {
        var book = self.bookWithAGrant()
        let open = book.shut()
        let taken = book.accepted(3, client: "198.51.100.4", counted: true)
        #expect(Set(open) == [1, 2])
        #expect(!taken)
    }
}
