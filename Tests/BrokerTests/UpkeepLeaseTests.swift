import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Brokers sharing a database tend each pool one at a time: the one holding its lease, until it stops renewing it.
@Suite struct UpkeepLeaseTests {
    @Test func onlyOneBrokerTendsAPoolAndAnotherTakesOverWhenItStops() async throws {
        let fixture = try await BrokerFixture()
        let otherHypervisor = FakeHypervisor(["desk1", "desk2", "desk3"])
        let other = fixture.otherBroker(hypervisor: otherHypervisor)
        let start = Date(timeIntervalSince1970: 1_900_000_000)

        await fixture.broker.tendPools(now: start)
        await other.tendPools(now: start.addingTimeInterval(1))
        #expect(await fixture.hypervisor.censuses == 1, "the first broker took the pool")
        #expect(await otherHypervisor.censuses == 0)
        await fixture.broker.tendPools(now: start.addingTimeInterval(5))
        await other.tendPools(now: start.addingTimeInterval(10))
        #expect(await fixture.hypervisor.censuses == 2, "renewed, still the first's")
        #expect(await otherHypervisor.censuses == 0)

        // The first broker stops renewing: past its lease the other takes the pool over, and keeps it.
        await other.tendPools(now: start.addingTimeInterval(14))
        await fixture.broker.tendPools(now: start.addingTimeInterval(15))
        #expect(await otherHypervisor.censuses == 1)
        #expect(await fixture.hypervisor.censuses == 2)
        #expect(try await fixture.store.upkeepLeases().map(\.holder) == ["broker-b"])
    }

    @Test func aBrokerWithoutTheUpkeepRoleKeepsNoPool() async throws {
        let fixture = try await BrokerFixture()
        let otherHypervisor = FakeHypervisor(["desk1", "desk2", "desk3"])
        let gatewayOnly = fixture.otherBroker(hypervisor: otherHypervisor, roles: [.api, .gateway])
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        await gatewayOnly.tendPools(now: start)
        #expect(await otherHypervisor.censuses == 0)
        #expect(try await fixture.store.upkeepLeases().isEmpty, "a free lease, left alone")
        try await gatewayOnly.reportNode(startedAt: start, now: start)
        #expect(try await fixture.broker.nodes(now: start).first { $0.name == "broker-b" }?.roles == ["api", "gateway"])
        await fixture.broker.tendPools(now: start)
        #expect(await fixture.hypervisor.censuses == 1)
    }

    @Test func nodesShowTheirReportWhetherTheyAreUpAndThePoolsTheyKeep() async throws {
        let fixture = try await BrokerFixture()
        let other = fixture.otherBroker(ports: 21000...21099)
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        try await fixture.broker.reportNode(startedAt: start, now: start)
        try await other.reportNode(startedAt: start, now: start.addingTimeInterval(30))
        await other.tendPools(now: start.addingTimeInterval(30))

        let nodes = try await fixture.broker.nodes(now: start.addingTimeInterval(31))
        let b = try #require(nodes.first { $0.name == "broker-b" })
        #expect(b.isUp && b.keptPools == ["office"] && b.publicAddress == "198.51.100.2" && b.portRange == "21000-21099")
        #expect(b.roles == ["api", "gateway", "proxy", "upkeep"])
        #expect(b.forwardedSessions == 0)
        let bob = try await fixture.user("bob")
        _ = try await other.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6")
        #expect(try await fixture.broker.nodes(now: start.addingTimeInterval(31)).first { $0.name == "broker-b" }?.forwardedSessions == 1)
        let a = try #require(nodes.first { $0.name != "broker-b" })
        #expect(!a.isUp && a.keptPools.isEmpty, "silent for 31 s: down, and its pools went to the other")
    }
}

/// Brokers sharing a database each forward the sessions handed out on their own gateway address.
@Suite struct ForwardingOwnershipTests {
    @Test func eachBrokerForwardsItsOwnSessionsAndNamesTheirGateway() async throws {
        let fixture = try await BrokerFixture()
        let otherForwarder = RecordingForwarder()
        let other = fixture.otherBroker(forwarder: otherForwarder)
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let onA = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let onB = try await other.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6").session
        #expect(onA.publicAddress == "198.51.100.1" && onB.publicAddress == "198.51.100.2")
        #expect(onA.publicPort == 20000 && onB.publicPort == 20000, "each gateway address leases its whole range")

        try await other.restoreForwarding()
        #expect(await otherForwarder.rules.map(\.sessionID) == [onB.id], "B restores its own rule only")
        #expect(await fixture.forwarder.rules.map(\.sessionID) == [onA.id])
        #expect(try await other.consoleFile(forSession: onA.id, user: alice).host == "198.51.100.1", "A's gateway, from B's API")

        // B ends A's session: the ticket is revoked from B; A's own reconcile drops the rule.
        try await other.endSession(id: onA.id, requestedBy: nil)
        #expect(await otherForwarder.rules.map(\.sessionID) == [onB.id])
        await fixture.broker.tendPools()  // its first round reconciles the firewall with the store
        #expect(await fixture.forwarder.rules.isEmpty)
    }

    @Test func sessionsFromBeforeAddressesAreAdoptedByTheNextBrokerToStart() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.store.addUser(UserRecord(name: "old", passwordHash: "-", isAdmin: false, createdAt: Date()))
        var legacy = DesktopClaim(user: "old", pool: "office", clientAddress: "203.0.113.7", portRange: 20005...20005)
        legacy.newSessionID = "legacy"
        _ = try await fixture.store.claimDesktop(legacy)
        _ = try await fixture.store.markReady(sessionID: "legacy", targetAddress: "192.0.2.10", targetPort: 5900, targetTLSPort: nil)
        try await fixture.broker.restoreForwarding()
        #expect(try await fixture.store.session(id: "legacy")?.publicAddress == "198.51.100.1")
        #expect(await fixture.forwarder.rules.map(\.sessionID) == ["legacy"])
    }

    @Test func aBrokerWhoseAddressChangedKeepsItsSessions() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.reportNode(startedAt: Date())
        let forwarder = RecordingForwarder()
        let moved = fixture.otherBroker(nodeName: fixture.broker.settings.nodeName, publicAddress: "198.51.100.9", forwarder: forwarder)
        try await moved.restoreForwarding()
        #expect(await forwarder.rules.map(\.publicAddress) == ["198.51.100.9"])
        #expect(try await fixture.store.session(id: session.id)?.publicAddress == "198.51.100.9")
    }
}
