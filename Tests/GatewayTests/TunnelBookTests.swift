@testable import Gateway
import Testing

/// The proxy's book of connections and remembered grants, without sockets.
@Suite struct TunnelBookTests {
    let endpoint = ConnectTarget(host: "192.0.2.7", port: 5900)
    let now = ContinuousClock.now

    /// A book where connection 1 of 198.51.100.4 was granted the endpoint for `s1`, and connection 2 of the same
    /// client has just arrived.
    private func bookWithAGrant() -> TunnelBook {
        var book = TunnelBook(grantLifetime: .seconds(60), connectionsPerClient: 64)
        _ = book.accepted(1, client: "198.51.100.4")
        let answer = book.granted(1, to: self.endpoint, sessionID: "s1", askedAt: book.revocations, now: self.now)
        #expect(answer == .open)
        _ = book.accepted(2, client: "198.51.100.4")
        return book
    }

    @Test func aGrantCoversTheSameClientAndEndpointOnly() {
        var book = self.bookWithAGrant()
        let sameClient = book.admit(2, to: self.endpoint, now: self.now)
        _ = book.accepted(3, client: "198.51.100.5")
        let otherClient = book.admit(3, to: self.endpoint, now: self.now)
        _ = book.accepted(4, client: "198.51.100.4")
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
        _ = book.accepted(3, client: "198.51.100.4")
        let afterwards = book.admit(3, to: self.endpoint, now: self.now)
        #expect(Set(tunnels) == [1, 2])
        #expect(afterwards == nil)
    }

    @Test func anAnswerAskedBeforeARevocationIsAskedAgain() {
        var book = TunnelBook(grantLifetime: .seconds(60), connectionsPerClient: 64)
        _ = book.accepted(1, client: "198.51.100.4")
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

    @Test func aClientsShareIsCountedAndFreedAsItsConnectionsEnd() {
        var book = TunnelBook(grantLifetime: .seconds(60), connectionsPerClient: 2)
        let first = book.accepted(1, client: "198.51.100.4")
        let second = book.accepted(2, client: "198.51.100.4")
        let third = book.accepted(3, client: "198.51.100.4")
        let another = book.accepted(4, client: "198.51.100.5")
        _ = book.ended(3)  // not counted: frees nothing
        let stillFull = book.accepted(5, client: "198.51.100.4")
        _ = book.ended(1)
        let room = book.accepted(6, client: "198.51.100.4")
        #expect([first, second, third, another] == [.taken, .taken, .overShare, .taken])
        #expect(stillFull == .overShare)
        #expect(room == .taken)
    }

    @Test func beyondTheProxysMostConnectionsNoneIsTakenFromAnyoneUntilOneEnds() {
        var book = TunnelBook(grantLifetime: .seconds(60), connectionsPerClient: 64, maxConnections: 2)
        let first = book.accepted(1, client: "198.51.100.4")
        let second = book.accepted(2, client: "198.51.100.5")
        let third = book.accepted(3, client: "198.51.100.6")
        let fourth = book.accepted(4, client: "198.51.100.7")
        _ = book.ended(1)
        let room = book.accepted(5, client: "198.51.100.6")
        let fullAgain = book.accepted(6, client: "198.51.100.8")
        #expect([first, second] == [.taken, .taken])
        #expect(third == .full(first: true) && fourth == .full(first: false), "a flood is news once")
        #expect(room == .taken)
        #expect(fullAgain == .full(first: true), "news again after the proxy had room")
        #expect(book.connections.count == 2)
    }

    @Test func aShutBookTakesNoConnection() {
        var book = self.bookWithAGrant()
        let open = book.shut()
        let taken = book.accepted(3, client: "198.51.100.4")
        #expect(Set(open) == [1, 2])
        #expect(taken == .shut)
    }
}
