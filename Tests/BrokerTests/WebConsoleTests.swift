import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Remembers which sessions it was told ended or moved.
actor RecordingObserver: SessionObserver {
    private(set) var ended: [String] = []
    private(set) var moved: [String] = []
    func sessionEnded(_ sessionID: String) async { ended.append(sessionID) }
    func sessionMoved(_ sessionID: String) async { moved.append(sessionID) }
}

extension BrokerFixture {
    /// The same store, hypervisor and forwarder under a broker that tells `observer` of sessions ending and moving.
    func broker(telling observer: RecordingObserver) -> Broker {
        Broker(store: store, hypervisor: hypervisor, forwarder: forwarder, settings: broker.settings, sessionObservers: [observer])
    }
}

@Suite struct WebConsoleTests {
    @Test func aGatewayTokenOpensOneConsolesChannelsThenIsSpent() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let now = Date()
        let grant = try await fixture.broker.webConsole(forSession: session.id, user: alice, now: now)
        #expect(await fixture.hypervisor.vms[session.vm]?.ticket == grant.spicePassword)
        let tokens = fixture.broker.webConsoleTokens
        #expect(try await tokens.redeem(grant.token, now: now)?.id == session.id)
        #expect(try await tokens.redeem(grant.token, now: now.addingTimeInterval(2))?.id == session.id, "another channel")
        #expect(try await tokens.redeem(grant.token, now: now.addingTimeInterval(tokens.window)) == nil)
        #expect(try await tokens.redeem(grant.token, now: now.addingTimeInterval(1)) == nil, "spent for good")
        #expect(try await tokens.redeem("forged-token-value") == nil)
    }

    @Test func aTokenOrPhoneLinkFromOneBrokerWorksOnAnotherSharingTheDatabase() async throws {
        let fixture = try await BrokerFixture()
        let other = fixture.otherBroker()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let grant = try await fixture.broker.webConsole(forSession: session.id, user: alice)
        #expect(try await other.webConsoleTokens.redeem(grant.token)?.id == session.id, "the other broker's gateway")
        let link = try await fixture.broker.phoneLink(forSession: session.id, user: alice)
        #expect(try await other.consoleFile(forPhoneLink: link.token).port == session.publicPort)
        await #expect(throws: BrokerError.self, "spent on the other broker: spent everywhere") {
            try await fixture.broker.consoleFile(forPhoneLink: link.token)
        }
    }

    @Test func tokensExpire() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let grant = try await fixture.broker.webConsole(forSession: session.id, user: alice)
        #expect(try await fixture.broker.webConsoleTokens.redeem(grant.token, now: grant.tokenExpiresAt) == nil)
    }

    @Test func endingASessionVoidsItsTokensAndTellsObservers() async throws {
        let observer = RecordingObserver()
        let base = try await BrokerFixture()
        let broker = base.broker(telling: observer)
        let alice = try await base.user("alice")
        let session = try await broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let grant = try await broker.webConsole(forSession: session.id, user: alice)
        try await broker.endSession(id: session.id, requestedBy: alice)
        #expect(try await broker.webConsoleTokens.redeem(grant.token) == nil)
        #expect(await observer.ended == [session.id])
    }

    @Test func anotherUserGetsNoToken() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        await #expect(throws: BrokerError.self) { try await fixture.broker.webConsole(forSession: session.id, user: bob) }
    }
}
