import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// A desktop's VM that stops behind the broker's back ends its session cleanly.
@Suite struct DesktopStoppedTests {
    @Test func aDestroyedDesktopEndsItsSessionAndFreesEverything() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        #expect(await fixture.forwarder.rules.count == 1)

        let ended = try await fixture.broker.desktopStopped(
            VMRef(connectURI: "test:///default", domain: session.vm), reason: "destroyed")
        #expect(ended == session.id)
        #expect(try await fixture.store.session(id: session.id) == nil)
        #expect(await fixture.forwarder.rules.isEmpty, "the DNAT rule is gone")
        #expect(await fixture.hypervisor.vms[session.vm]?.disconnects == 1, "the ticket was revoked with a disconnect")
        #expect(try await fixture.broker.pools().first?.freeVMCount == 3)
    }

    @Test func otherHostsAndOtherVMsLeaveTheSessionAlone() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session

        #expect(try await fixture.broker.desktopStopped(VMRef(connectURI: "qemu:///system", domain: session.vm), reason: "destroyed") == nil)
        #expect(try await fixture.broker.desktopStopped(VMRef(connectURI: "test:///default", domain: "desk9"), reason: "destroyed") == nil)
        #expect(try await fixture.store.session(id: session.id) != nil)
        #expect(await fixture.forwarder.rules.count == 1)
    }
}
