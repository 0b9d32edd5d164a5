import Broker
import BrokerTestSupport
import ConsoleFile
import Firewall
import Foundation
import Store
import Testing

@Suite struct HandoutTests {
    @Test func handoutStartsTheVMAndForwardsTheLeasedPortFromTheClientOnly() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let handout = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(handout.isNew)
        #expect(handout.session.state == .ready)
        #expect(await fixture.hypervisor.vms[handout.session.vm]?.running == true)
        let expected = ForwardRule(
            sessionID: handout.session.id, clientAddress: "203.0.113.5", publicAddress: "198.51.100.1",
            publicPort: 20000, targetAddress: "192.0.2.10", targetPort: 5900)
        #expect(await fixture.forwarder.rules == [expected])
    }

    @Test func theSameUserGetsTheSameSessionBack() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let first = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        let second = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(!second.isNew)
        #expect(second.session == first.session)
        #expect(await fixture.forwarder.rules.count == 1)
    }

    @Test func aClientThatMovedGetsItsRuleMoved() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        _ = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        let moved = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.77")
        #expect(await fixture.forwarder.rules.map(\.clientAddress) == ["203.0.113.77"])
        #expect(moved.session.clientAddress == "203.0.113.77")
    }

    @Test func aClientThatMovedIsToldToTheAccessPaths() async throws {
        let observer = RecordingObserver()
        let base = try await BrokerFixture()
        let broker = base.broker(telling: observer)
        let alice = try await base.user("alice")
        let session = try await broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        _ = try await broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(await observer.moved == [])
        _ = try await broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.77")
        #expect(await observer.moved == [session.id])
        #expect(await observer.ended == [])
    }

    @Test func aFullPoolAnswersNoFreeVM() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1"])
        _ = try await fixture.broker.desktop(inPool: "office", for: try await fixture.user("alice"), clientAddress: "203.0.113.5")
        let bob = try await fixture.user("bob")
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6")
        }
        #expect(error?.code == .noFreeVM)
        #expect(error?.httpStatus == 503)
    }

    @Test func aFailedStartGivesThePortBackAndMarksTheVMBrokenUntilRepaired() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1", "desk2"])
        await fixture.hypervisor.setFailStart(true)
        let alice = try await fixture.user("alice")
        await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        }
        #expect(try await fixture.store.sessions().isEmpty)
        #expect(try await fixture.broker.vms(inPool: "office").map(\.brokenReason) == ["boom", "boom"])
        #expect(try await fixture.broker.pools().first?.freeVMCount == 0)

        await fixture.hypervisor.setFailStart(false)
        try await fixture.broker.repair(vm: "desk2", inPool: "office")
        #expect(try await fixture.broker.pools().first?.freeVMCount == 1)
        let handout = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(handout.session.vm == "desk2")
        #expect(handout.session.publicPort == 20000)
    }

    @Test func aVMThatFailsToStartIsPassedOver() async throws {
        let fixture = try await BrokerFixture()
        await fixture.hypervisor.breakVM("desk1")
        let alice = try await fixture.user("alice")
        let handout = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        #expect(handout.session.vm == "desk2")
        #expect(try await fixture.store.sessions().map(\.vm) == ["desk2"])
    }

    @Test func whenNoVMStartsTheUserSeesTheHypervisorError() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1", "desk2"])
        await fixture.hypervisor.breakVM("desk1")
        await fixture.hypervisor.breakVM("desk2")
        let alice = try await fixture.user("alice")
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5")
        }
        #expect(error?.code == .hypervisorError)
        #expect(try await fixture.store.sessions().isEmpty)
    }

    @Test func consoleFileCarriesTheGatewayAndAFreshTicketEachTime() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let now = Date()
        let first = try await fixture.broker.consoleFile(forSession: session.id, user: alice, now: now)
        #expect(first.host == "198.51.100.1")
        #expect(first.port == session.publicPort)
        #expect(await fixture.hypervisor.vms[session.vm]?.ticket == first.password)
        let validUntil = try #require(await fixture.hypervisor.vms[session.vm]?.validUntil)
        #expect(validUntil >= now.addingTimeInterval(30) && validUntil < Date().addingTimeInterval(30.5))
        let second = try await fixture.broker.consoleFile(forSession: session.id, user: alice, now: now)
        #expect(second.password != first.password)
        #expect((1...60).contains(second.password.utf8.count))
    }

    @Test func anotherUsersSessionIsNotFound() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.consoleFile(forSession: session.id, user: bob)
        }
        #expect(error?.httpStatus == 404)
        await #expect(throws: BrokerError.self) { try await fixture.broker.endSession(id: session.id, requestedBy: bob) }
        #expect(try await fixture.store.sessions().count == 1)
    }
}

@Suite struct ClientAddressTests {
    @Test func anIPv6ClientIsRefusedBeforeAnyVMStarts() async throws {
        let base = try await BrokerFixture()
        let broker = Broker(
            store: base.store, hypervisor: base.hypervisor, forwarder: IptablesForwarder(), settings: base.broker.settings)
        let alice = try await base.user("alice")
        let error = await #expect(throws: BrokerError.self) {
            try await broker.desktop(inPool: "office", for: alice, clientAddress: "2001:db8::5")
        }
        #expect(error?.code == .clientAddressUnsupported)
        #expect(error?.httpStatus == 400)
        #expect(try await base.store.sessions().isEmpty)
        #expect(await base.hypervisor.vms.values.allSatisfy { !$0.running })
    }
}
