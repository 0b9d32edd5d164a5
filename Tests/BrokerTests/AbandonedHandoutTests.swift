import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// A broker killed halfway through a handout leaves a session starting; the pool's upkeep takes it back once that
/// broker is known to be gone, and never one another broker is still bringing up.
@Suite struct AbandonedHandoutTests {
    /// A session claimed by broker B at `at`, left starting as a broker killed before its VM came up leaves it.
    static func halfDoneHandout(in fixture: BrokerFixture, user: String, at: Date) async throws -> SessionRecord {
        try await fixture.user(user)
        var claim = DesktopClaim(user: user, pool: "office", clientAddress: "203.0.113.9", portRange: 20000...20009, now: at)
        claim.publicAddress = "198.51.100.2"
        return try await fixture.store.claimDesktop(claim).session
    }

    static func reportB(_ fixture: BrokerFixture, startedAt: Date, at: Date) async throws {
        try await fixture.store.recordNode(
            NodeRecord(name: "broker-b", publicAddress: "198.51.100.2", portRange: "20000-20009", startedAt: startedAt, lastSeen: at))
    }

    @Test func aSilentBrokersHalfDoneHandoutIsTakenBackAndItsVMFreed() async throws {
        let fixture = try await BrokerFixture()
        let start = Date()
        try await Self.reportB(fixture, startedAt: start.addingTimeInterval(-60), at: start)
        let session = try await Self.halfDoneHandout(in: fixture, user: "bob", at: start)

        await fixture.broker.tendPools(now: start.addingTimeInterval(5))
        #expect(try await fixture.store.session(id: session.id) != nil, "B is alive: its handout may still finish")

        await fixture.broker.tendPools(now: start.addingTimeInterval(Broker.nodeSilenceLimit + 1))
        #expect(try await fixture.store.session(id: session.id) == nil, "B fell silent: taken back")
        let alice = try await fixture.user("alice")
        let handout = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(handout.session.vm == session.vm && handout.session.publicPort == session.publicPort, "VM and port are free again")
        let audit = try await fixture.store.auditEvents(before: nil, limit: 10).map(\.detail)
        #expect(audit.contains { $0.contains("abandoned") }, "\(audit)")
    }

    @Test func aBrokerThatStartedAgainNoLongerOwnsItsEarlierHandouts() async throws {
        let fixture = try await BrokerFixture()
        let start = Date()
        let session = try await Self.halfDoneHandout(in: fixture, user: "bob", at: start)
        try await Self.reportB(fixture, startedAt: start.addingTimeInterval(3), at: start.addingTimeInterval(4))
        await fixture.broker.tendPools(now: start.addingTimeInterval(5))
        #expect(try await fixture.store.session(id: session.id) == nil)
    }

    @Test func aHandoutStillStartingAfterTenMinutesIsTakenBackWhoeverRunsIt() async throws {
        let fixture = try await BrokerFixture()
        let start = Date()
        let alice = try await fixture.user("alice")
        var claim = DesktopClaim(user: alice.name, pool: "office", clientAddress: "203.0.113.5", portRange: 20000...20009, now: start)
        claim.publicAddress = fixture.broker.settings.publicAddress
        let own = try await fixture.store.claimDesktop(claim).session
        await fixture.broker.tendPools(now: start.addingTimeInterval(60))
        #expect(try await fixture.store.session(id: own.id) != nil, "its own handout, under way")
        await fixture.broker.tendPools(now: start.addingTimeInterval(601))
        #expect(try await fixture.store.session(id: own.id) == nil)
    }
}
