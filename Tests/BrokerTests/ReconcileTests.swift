import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Upkeep's reconciliation of the store with the hypervisor and the firewall, for what events missed.
@Suite("Reconciliation")
struct ReconcileTests {
    @Test func aSessionWhoseVMStoppedUnseenIsEnded() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.hypervisor.powerOff(VMRef(connectURI: "test:///default", domain: session.vm))
        await fixture.broker.tendPools()
        #expect(try await fixture.store.session(id: session.id) == nil)
        #expect(await fixture.forwarder.rules.isEmpty)
    }

    @Test func vmsGoneFromLibvirtAreMarkedOrRecreated() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.broker.createTemplatePool(
            name: "lab", connectURI: "test:///default", desktopMode: .volatile, template: TemplatePoolTests.template)
        let alice = try await fixture.user("alice")
        let lab = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: lab.id, requestedBy: alice)
        try await fixture.store.markProvisioned(vm: lab.vm, pool: "lab", true)  // as if created again, then lost
        await fixture.hypervisor.removeVM("desk2")

        await fixture.broker.tendPools()
        let office = try await fixture.broker.vms(inPool: "office")
        #expect(office.map(\.brokenReason) == [nil, "gone from libvirt", nil])
        #expect(try await fixture.broker.vms(inPool: "lab").first?.isProvisioned == false)
    }

    @Test func forwardingRulesLostBehindTheBrokersBackComeBackAtTheNextReconciliation() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        _ = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        let rule = try #require(await fixture.forwarder.rules.first)
        let start = Date()
        await fixture.broker.tendPools(now: start)  // the first round reconciles

        await fixture.forwarder.dropRule(rule)
        await fixture.broker.tendPools(now: start.addingTimeInterval(10))
        #expect(await fixture.forwarder.rules.isEmpty, "not due yet")
        await fixture.broker.tendPools(now: start.addingTimeInterval(31))
        #expect(await fixture.forwarder.rules == [rule])
    }
}
