import Broker
import BrokerTestSupport
import Foundation
import Libvirt
import Store
import Testing

/// Presence from SPICE's per-channel graphics events: attached from `initialize` to `disconnect`, per VM.
@Suite struct PresenceTests {
    let uri = "qemu+ssh://host-a/system"
    let vm = VMRef(connectURI: "qemu+ssh://host-a/system", domain: "desk1")

    @Test func aViewersChannelsCountFromInitializeToDisconnect() {
        let tracker = PresenceTracker()
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(tracker.presence(of: vm) == .detached)

        tracker.record(.graphics(domain: "desk1", phase: .connect, client: "198.51.100.7:50001"), connectURI: uri, at: start)
        #expect(!tracker.presence(of: vm).isAttached, "a socket that has not authenticated is not a viewer")
        tracker.record(.graphics(domain: "desk1", phase: .initialize, client: "198.51.100.7:50001"), connectURI: uri, at: start)
        for port in 50002...50004 {
            let client = "198.51.100.7:\(port)"
            tracker.record(.graphics(domain: "desk1", phase: .connect, client: client), connectURI: uri, at: start + 1)
            tracker.record(.graphics(domain: "desk1", phase: .initialize, client: client), connectURI: uri, at: start + 1)
        }
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 4, changedAt: start), "attached since the first")

        for port in 50001...50004 {
            let client = "198.51.100.7:\(port)"
            tracker.record(.graphics(domain: "desk1", phase: .disconnect, client: client), connectURI: uri, at: start + 9)
        }
        #expect(tracker.presence(of: vm) == DesktopPresence(channels: 0, changedAt: start + 9))
    }

    @Test func aRefusedClientNeverCountsAndOtherVMsAreApart() {
        let tracker = PresenceTracker()
        tracker.record(.graphics(domain: "desk1", phase: .connect, client: "203.0.113.9:40000"), connectURI: uri)
        tracker.record(.graphics(domain: "desk1", phase: .disconnect, client: "203.0.113.9:40000"), connectURI: uri)
        #expect(tracker.presence(of: vm) == .detached)

        tracker.record(.graphics(domain: "desk2", phase: .initialize, client: "203.0.113.9:40001"), connectURI: uri)
        tracker.record(.graphics(domain: "desk1", phase: .initialize, client: "203.0.113.9:40002"), connectURI: "qemu:///system")
        #expect(tracker.presence(of: vm) == .detached, "same name on another host, another VM")
        #expect(tracker.presence(of: VMRef(connectURI: uri, domain: "desk2")).channels == 1)
    }

    @Test func aStoppedVMOrALostConnectionDetaches() {
        let tracker = PresenceTracker()
        tracker.record(.graphics(domain: "desk1", phase: .initialize, client: "203.0.113.9:40000"), connectURI: uri)
        tracker.record(.lifecycle(domain: "desk1", change: LifecycleChange(kind: .stopped, detail: LifecycleChange.stoppedDestroyed)), connectURI: uri)
        #expect(!tracker.presence(of: vm).isAttached, "destroyed under the viewer")

        tracker.record(.graphics(domain: "desk1", phase: .initialize, client: "203.0.113.9:40001"), connectURI: uri)
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
            .graphics(domain: session.vm, phase: .initialize, client: "203.0.113.5:51000"), connectURI: "test:///default", at: at)
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
            tracker.record(.graphics(domain: "desk1", phase: .disconnect, client: "10.0.0.5:\(port)"), connectURI: vm.connectURI, at: start.addingTimeInterval(9))
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
