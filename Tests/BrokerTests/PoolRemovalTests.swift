import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Taking VMs out of pools and deleting pools: nothing in use goes, template VMs are thrown away.
@Suite("Removing VMs and pools")
struct PoolRemovalTests {
    @Test func vmsInUseStayAndOthersGo() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let busy = await #expect(throws: BrokerError.self) {
            try await fixture.broker.removeVMs(["desk3", session.vm], fromPool: "office")
        }
        #expect(busy?.code == .vmInUse)
        #expect(try await fixture.broker.vms(inPool: "office").count == 3, "all or nothing")
        let unknown = await #expect(throws: BrokerError.self) { try await fixture.broker.removeVMs(["nope"], fromPool: "office") }
        #expect(unknown?.httpStatus == 404)

        try await fixture.broker.removeVMs(["desk3"], fromPool: "office")
        #expect(try await fixture.broker.vms(inPool: "office").map(\.name) == ["desk1", "desk2"])
        #expect(await fixture.hypervisor.discarded.isEmpty, "existing VMs stay in libvirt")

        let inUse = await #expect(throws: BrokerError.self) { try await fixture.broker.deletePool(named: "office") }
        #expect(inUse?.code == .poolInUse)
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        try await fixture.broker.deletePool(named: "office")
        #expect(try await fixture.broker.pools().isEmpty)
    }

    @Test func aTemplatePoolsVMsAreThrownAwayAndOwnedDesktopsNeedConsent() async throws {
        let fixture = try await BrokerFixture(vms: [])
        try await fixture.broker.createTemplatePool(
            name: "lab", connectURI: "test:///default", desktopMode: .persistent, template: TemplatePoolTests.template)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)

        let owned = await #expect(throws: BrokerError.self) { try await fixture.broker.deletePool(named: "lab") }
        #expect(owned?.code == .poolHasOwnedDesktops)
        #expect(owned?.message.contains("alice") == true)
        try await fixture.broker.deletePool(named: "lab", discardingOwned: true)
        #expect(await fixture.hypervisor.discarded == ["lab-001"])
        #expect(try await fixture.broker.pools().map(\.pool.name) == ["office"])
    }
}
