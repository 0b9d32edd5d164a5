import Broker
import Libvirt
import Testing

@testable import LibvirtHypervisor

/// libvirt's lifecycle and graphics events in the broker's words.
@Suite struct EventTranslationTests {
    @Test func spiceChannelsCountOnceAuthenticatedSoARefusedClientNeverAttaches() {
        let client = "198.51.100.7:50001"
        #expect(LibvirtHypervisor.brokerEvent(.graphics(domain: "desk1", phase: .connect, client: client)) == nil)
        #expect(
            LibvirtHypervisor.brokerEvent(.graphics(domain: "desk1", phase: .initialize, client: client))
                == .viewerAttached(domain: "desk1", client: client))
        #expect(
            LibvirtHypervisor.brokerEvent(.graphics(domain: "desk1", phase: .disconnect, client: client))
                == .viewerDetached(domain: "desk1", client: client))
    }

    @Test func everyWayOfStoppingIsAStopAndPausesAreNotFollowed() {
        let destroyed = LifecycleChange(kind: .stopped, detail: LifecycleChange.stoppedDestroyed)
        #expect(
            LibvirtHypervisor.brokerEvent(.lifecycle(domain: "desk1", change: destroyed))
                == .stopped(domain: "desk1", reason: "stopped (detail 1)"))
        #expect(
            LibvirtHypervisor.brokerEvent(.lifecycle(domain: "desk1", change: LifecycleChange(kind: .started, detail: 0)))
                == .started(domain: "desk1"))
        for kind: LifecycleChange.Kind in [.suspended, .defined, .shutdown, .crashed] {
            #expect(LibvirtHypervisor.brokerEvent(.lifecycle(domain: "desk1", change: LifecycleChange(kind: kind, detail: 0))) == nil)
        }
    }
}
