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
        let other = Broker(
            store: fixture.store, hypervisor: otherHypervisor, forwarder: RecordingForwarder(),
            settings: BrokerSettings(
                publicAddress: "198.51.100.2", portRange: 20000...20009, ticketValidity: 30,
                connectURIs: BrokerFixture.connectURIs, nodeName: "broker-b"))
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

    @Test func nodesShowTheirReportWhetherTheyAreUpAndThePoolsTheyKeep() async throws {
        let fixture = try await BrokerFixture()
        let other = Broker(
            store: fixture.store, hypervisor: FakeHypervisor([]), forwarder: RecordingForwarder(),
            settings: BrokerSettings(
                publicAddress: "198.51.100.2", portRange: 21000...21099, ticketValidity: 30,
                connectURIs: BrokerFixture.connectURIs, nodeName: "broker-b"))
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        try await fixture.broker.reportNode(startedAt: start, now: start)
        try await other.reportNode(startedAt: start, now: start.addingTimeInterval(30))
        await other.tendPools(now: start.addingTimeInterval(30))

        let nodes = try await fixture.broker.nodes(now: start.addingTimeInterval(31))
        let b = try #require(nodes.first { $0.name == "broker-b" })
        #expect(b.isUp && b.keptPools == ["office"] && b.publicAddress == "198.51.100.2" && b.portRange == "21000-21099")
        #expect(b.forwardedSessions == 0)
        let a = try #require(nodes.first { $0.name != "broker-b" })
        #expect(!a.isUp && a.keptPools.isEmpty, "silent for 31 s: down, and its pools went to the other")
    }
}
