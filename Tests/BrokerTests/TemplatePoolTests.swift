import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Pools whose VMs the broker makes from a template: volatile and persistent desktops, limits and failures.
@Suite("Template pools")
struct TemplatePoolTests {
    static let template = PoolTemplate(
        domainXML: "<domain/>", baseImage: "/var/lib/libvirt/images/base.qcow2", storagePool: "default", maxVMs: 2)

    static func fixture(_ mode: DesktopMode, maxVMs: Int = 2) async throws -> BrokerFixture {
        let fixture = try await BrokerFixture(vms: [])
        var template = Self.template
        template.maxVMs = maxVMs
        try await fixture.broker.createTemplatePool(name: "lab", connectURI: "test:///default", desktopMode: mode, template: template)
        return fixture
    }

    @Test func volatileDesktopsAreCreatedOnDemandAndThrownAwayAfterUse() async throws {
        let fixture = try await Self.fixture(.volatile)
        let alice = try await fixture.user("alice")
        #expect(try await fixture.broker.pools().first { $0.pool.name == "lab" }?.freeVMCount == 2)

        let first = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        #expect(first.vm == "lab-001")
        #expect(first.state == .ready)
        #expect(await fixture.hypervisor.provisioned == ["lab-001"])

        try await fixture.broker.endSession(id: first.id, requestedBy: alice)
        #expect(await fixture.hypervisor.discarded == ["lab-001"])
        let vm = try #require(try await fixture.broker.vms(inPool: "lab").first)
        #expect(!vm.needsReset && !vm.isProvisioned && vm.assignedUser == nil)

        let bob = try await fixture.user("bob")
        let second = try await fixture.broker.desktop(inPool: "lab", for: bob, clientAddress: "203.0.113.6").session
        #expect(second.vm == "lab-001")
        #expect(await fixture.hypervisor.provisioned == ["lab-001", "lab-001"])
    }

    @Test func aTemplatePoolStopsAtItsMaximum() async throws {
        let fixture = try await Self.fixture(.volatile, maxVMs: 2)
        for name in ["alice", "bob"] {
            let user = try await fixture.user(name)
            _ = try await fixture.broker.desktop(inPool: "lab", for: user, clientAddress: "203.0.113.5")
        }
        let carol = try await fixture.user("carol")
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "lab", for: carol, clientAddress: "203.0.113.7")
        }
        #expect(error?.code == .noFreeVM)
        #expect(try await fixture.broker.vms(inPool: "lab").map(\.name) == ["lab-001", "lab-002"])
    }

    @Test func persistentDesktopsComeBackToTheirUserUntilUnassigned() async throws {
        let fixture = try await Self.fixture(.persistent)
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let first = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: first.id, requestedBy: alice)
        #expect(await fixture.hypervisor.discarded.isEmpty)

        let bobs = try await fixture.broker.desktop(inPool: "lab", for: bob, clientAddress: "203.0.113.6").session
        #expect(bobs.vm == "lab-002")
        let again = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        #expect(again.vm == first.vm)
        #expect(await fixture.hypervisor.provisioned == ["lab-001", "lab-002"])

        let busy = await #expect(throws: BrokerError.self) { try await fixture.broker.unassign(vm: "lab-001", inPool: "lab") }
        #expect(busy?.code == .vmInUse)
        try await fixture.broker.endSession(id: again.id, requestedBy: alice)
        try await fixture.broker.unassign(vm: "lab-001", inPool: "lab")
        #expect(await fixture.hypervisor.discarded == ["lab-001"])
        let vm = try #require(try await fixture.broker.vms(inPool: "lab").first { $0.name == "lab-001" })
        #expect(vm.assignedUser == nil && !vm.isProvisioned)
    }

    @Test func persistentExistingVMsStayTheirUsers() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1", "desk2"])
        try await fixture.broker.createPool(name: "mine", connectURI: "test:///default", desktopMode: .persistent)
        try await fixture.store.removeVM("desk1", fromPool: "office")
        try await fixture.store.removeVM("desk2", fromPool: "office")
        try await fixture.broker.addVMs(["desk1", "desk2"], toPool: "mine")
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let first = try await fixture.broker.desktop(inPool: "mine", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: first.id, requestedBy: alice)
        #expect(try await fixture.broker.desktop(inPool: "mine", for: bob, clientAddress: "203.0.113.6").session.vm == "desk2")
        #expect(try await fixture.broker.desktop(inPool: "mine", for: alice, clientAddress: "203.0.113.5").session.vm == first.vm)
    }

    @Test func aVMThatCannotBeCreatedLeavesNoTrace() async throws {
        let fixture = try await Self.fixture(.volatile)
        await fixture.hypervisor.setFailProvision(true)
        let alice = try await fixture.user("alice")
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5")
        }
        #expect(error?.message == "no space left")
        #expect(try await fixture.broker.vms(inPool: "lab").isEmpty)
        #expect(try await fixture.store.sessions().isEmpty)
        await fixture.hypervisor.setFailProvision(false)
        #expect(try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session.vm == "lab-001")
    }

    @Test func aResetCutShortIsFinishedAtTheNextStart() async throws {
        let fixture = try await Self.fixture(.volatile)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        _ = try await fixture.store.deleteSession(id: session.id)  // the broker stopped right after the store forgot it
        #expect(try await fixture.store.vmsNeedingReset().map(\.name) == ["lab-001"])
        #expect(try await fixture.broker.pools().first { $0.pool.name == "lab" }?.freeVMCount == 1)

        try await fixture.broker.resumePendingResets()
        #expect(await fixture.hypervisor.discarded == ["lab-001"])
        #expect(try await fixture.store.vmsNeedingReset().isEmpty)
    }

    @Test func poolSettingsThatCannotWorkAreRefused() async throws {
        let fixture = try await BrokerFixture(vms: [])
        let volatile = await #expect(throws: BrokerError.self) {
            try await fixture.broker.createPool(name: "v", connectURI: "test:///default", desktopMode: .volatile)
        }
        #expect(volatile?.httpStatus == 400)
        await #expect(throws: BrokerError.self) {
            try await fixture.broker.createTemplatePool(
                name: "p", connectURI: "test:///default", desktopMode: .pooled, template: Self.template)
        }
        await fixture.hypervisor.setTemplateProblem(BrokerError(.badRequest, "no base"))
        let bad = await #expect(throws: BrokerError.self) {
            try await fixture.broker.createTemplatePool(
                name: "t", connectURI: "test:///default", desktopMode: .volatile, template: Self.template)
        }
        #expect(bad?.message == "no base")
        #expect(try await fixture.broker.pools().map(\.pool.name) == ["office"])

        await fixture.hypervisor.setTemplateProblem(nil)
        try await fixture.broker.createTemplatePool(
            name: "t", connectURI: "test:///default", desktopMode: .volatile, template: Self.template)
        let joined = await #expect(throws: BrokerError.self) { try await fixture.broker.addVMs(["desk1"], toPool: "t") }
        #expect(joined?.httpStatus == 400)
    }
}
