import Broker
import BrokerTestSupport
import Firewall
import Foundation
import Store
import Testing

@Suite struct ReleaseTests {
    @Test func endingASessionFreesEverythingAndCutsTheClient() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        #expect(await fixture.forwarder.rules.isEmpty)
        #expect(await fixture.hypervisor.vms[session.vm]?.disconnects == 1)
        #expect(try await fixture.broker.pools().first?.freeVMCount == 3)
        let bob = try await fixture.user("bob")
        let next = try await fixture.broker.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6").session
        #expect(next.publicPort == session.publicPort)
    }

    @Test func anAdminMayEndAnySession() async throws {
        let fixture = try await BrokerFixture()
        let session = try await fixture.broker.desktop(inPool: "office", for: try await fixture.user("alice"), clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: session.id, requestedBy: try await fixture.user("root", admin: true))
        #expect(try await fixture.store.sessions().isEmpty)
    }

    @Test func restoreRebuildsRulesFromTheStoreAndDropsHalfStartedSessions() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let ready = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        _ = try await fixture.user("bob")
        let halfStarted = try await fixture.store.claimDesktop(
            DesktopClaim(user: "bob", pool: "office", clientAddress: "203.0.113.6", portRange: 20000...20009)).session
        let orphan = ForwardRule(
            sessionID: "gone", clientAddress: "203.0.113.9", publicAddress: "198.51.100.1", publicPort: 20009,
            targetAddress: "192.0.2.10", targetPort: 5999)
        await fixture.forwarder.insertOrphan(orphan)
        try await fixture.broker.restoreForwarding()
        #expect(await fixture.forwarder.rules.map(\.sessionID) == [ready.id])
        #expect(try await fixture.store.session(id: halfStarted.id) == nil)
    }

    @Test func aRunningVMWithoutTicketingIsRefusedWithAClearMessage() async throws {
        let fixture = try await BrokerFixture()
        await fixture.hypervisor.markRunningUnticketable("desk9")
        let error = await #expect(throws: BrokerError.self) { try await fixture.broker.addVMs(["desk9"], toPool: "office") }
        #expect(error?.code == .vmNeedsRestart)
        #expect(try await fixture.store.vms(inPool: "office").count == 3)
    }
}
