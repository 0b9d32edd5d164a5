import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Console-file credentials for the SPICE-aware gateway: reusable until they expire or their session ends.
@Suite struct ConsoleCredentialTests {
    @Test func aCredentialOpensItsSessionAgainAndAgainUntilItExpires() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let credentials = SessionTokens.consoleCredentials(store: fixture.store, lifetime: 3600)
        let now = Date()
        let issued = try await credentials.issue(forSession: session.id, user: "alice", now: now)
        #expect(issued.token.utf8.count <= 60, "a SPICE ticket holds at most 60 bytes")
        for minutes in [0.0, 1, 30, 59] {
            #expect(try await credentials.redeem(issued.token, now: now.addingTimeInterval(minutes * 60))?.id == session.id, "at \(minutes) min")
        }
        #expect(try await credentials.redeem(issued.token, now: now.addingTimeInterval(3600)) == nil, "expired")
        #expect(try await credentials.redeem("forged-credential") == nil)
    }

    @Test func endingTheSessionVoidsItsCredentials() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let credentials = SessionTokens.consoleCredentials(store: fixture.store)
        let issued = try await credentials.issue(forSession: session.id, user: "alice")
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        #expect(try await credentials.redeem(issued.token) == nil)
    }

    @Test func aWebConsoleTokenIsNoConsoleCredential() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let grant = try await fixture.broker.webConsole(forSession: session.id, user: alice)
        #expect(try await SessionTokens.consoleCredentials(store: fixture.store).redeem(grant.token) == nil)
    }
}
