import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Presence from the hypervisor's per-channel viewer events: attached from authenticated to closed, per VM.
@Suite struct PresenceTests {
    let uri = "qemu+ssh://host-a/system"
    let vm = VMRef(connectURI: "qemu+ssh://host-a/system", domain: "desk1")

    @Test func aViewersChannelsCountFromAttachedToDetached() {
        let tracker = PresenceTracker()
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(tracker.presence(of: vm) == .detached)

        tracker.record(.viewerAttached(domain: "desk1", client: "198.51.100.7:50001"), connectURI: uri, at: start)
        for port in 50002...50004 {
            let client = "198.51.100.7:\(port)"
            tracker.record(.viewerAttached(domain: "desk1", client: client), connectURI: uri, at: start + 1)
        }
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 4, changedAt: start), "attached since the first")

        for port in 50001...50004 {
            let client = "198.51.100.7:\(port)"
            tracker.record(.viewerDetached(domain: "desk1", client: client), connectURI: uri, at: start + 9)
        }
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 0, changedAt: start + 9))
    }

    @Test func aClientThatNeverAttachedDoesNotCountAndOtherVMsAreApart() {
        let tracker = PresenceTracker()
        tracker.record(.viewerDetached(domain: "desk1", client: "203.0.113.9:40000"), connectURI: uri)
        #expect(tracker.presence(of: vm) == .detached)

        tracker.record(.viewerAttached(domain: "desk2", client: "203.0.113.9:40001"), connectURI: uri)
        tracker.record(.viewerAttached(domain: "desk1", client: "203.0.113.9:40002"), connectURI: "qemu:///system")
        #expect(tracker.presence(of: vm) == .detached, "same name on another host, another VM")
        #expect(tracker.presence(of: VMRef(connectURI: uri, domain: "desk2")).channels == 1)
    }

    @Test func aStoppedVMOrALostConnectionDetaches() {
        let tracker = PresenceTracker()
        tracker.record(.viewerAttached(domain: "desk1", client: "203.0.113.9:40000"), connectURI: uri)
        tracker.record(.stopped(domain: "desk1", reason: "destroyed"), connectURI: uri)
        #expect(!tracker.presence(of: vm).isAttached, "destroyed under the viewer")

        tracker.record(.viewerAttached(domain: "desk1", client: "203.0.113.9:40001"), connectURI: uri)
        tracker.forget(connectURI: "qemu:///system")
        #expect(tracker.presence(of: vm).isAttached, "another connection's loss changes nothing here")
        tracker.forget(connectURI: uri)
        #expect(!tracker.presence(of: vm).isAttached)
    }

    @Test func sessionsReportTheirDesktopsPresence() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        #expect(try await fixture.broker.presence(of: [session])[session.id] == .detached)
        #expect(try await fixture.broker.poolConnectURIs() == ["test:///default"])

        let at = Date()
        fixture.broker.presence.record(
            .viewerAttached(domain: session.vm, client: "203.0.113.5:51000"), connectURI: "test:///default", at: at)
        #expect(try await fixture.broker.presence(of: [session])[session.id] == DesktopPresence(channels: 1, changedAt: at))
    }

    @Test func viewersSeededFromTheHypervisorCountUntilTheyLeave() {
        let tracker = PresenceTracker()
        let vm = VMRef(connectURI: "qemu:///system", domain: "desk1")
        let start = Date(timeIntervalSince1970: 1_000)
        tracker.seed(vm, clients: ["10.0.0.5:4000", "10.0.0.5:4001"], at: start)
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 2, changedAt: start))
        tracker.seed(vm, clients: [], at: start.addingTimeInterval(5))
        #expect(tracker.presence(of: vm).channels == 2, "an empty answer changes nothing")
        for port in [4000, 4001] {
            tracker.record(.viewerDetached(domain: "desk1", client: "10.0.0.5:\(port)"), connectURI: vm.connectURI, at: start.addingTimeInterval(9))
        }
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 0, changedAt: start.addingTimeInterval(9)))
    }

    @Test func onlyThePoolsVMsOfAConnectionAreAskedAbout() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.broker.createPool(name: "elsewhere", connectURI: "qemu+ssh://host2/system")
        try await fixture.store.removeVM("desk3", fromPool: "office")
        try await fixture.broker.addVMs(["desk3"], toPool: "elsewhere")
        #expect(try await fixture.broker.poolVMNames(onConnection: "test:///default") == ["desk1", "desk2"])
        #expect(try await fixture.broker.poolVMNames(onConnection: "qemu+ssh://host2/system") == ["desk3"])
        #expect(try await fixture.broker.poolVMNames(onConnection: "qemu:///session").isEmpty)
    }
}
