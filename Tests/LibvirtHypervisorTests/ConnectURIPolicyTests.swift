import Broker
import BrokerTestSupport
import Foundation
import LibvirtHypervisor
import Store
import Testing

/// The libvirt backend opens only the connections the config allows, and says so without quoting what it read.
@Suite struct LibvirtConnectURIPolicyTests {
    @Test func theLibvirtHypervisorOpensNoConnectionOutsideThePolicy() async throws {
        let hypervisor = LibvirtHypervisor(policy: ConnectURIPolicy(allowed: ["test:///default"]))
        let refused = await #expect(throws: BrokerError.self) {
            try await hypervisor.domainCensus(on: "test:///etc/passwd")
        }
        #expect(refused?.code == .hypervisorUnavailable && refused?.httpStatus == 503, "not the user's fault: \(String(describing: refused))")
        #expect(refused.map { $0.message.contains("libvirt.allowedURIs") && !$0.message.contains("root:") } == true)
        #expect(try await hypervisor.domainCensus(on: "test:///default").defined.contains("test"))
    }

    @Test func theHostsViewOfAPoolStoredBeforeThePolicyNamesThePolicyNotTheFile() async throws {
        let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
        try await store.addPool(PoolRecord(name: "old", connectURI: "test:///etc/passwd", desktopMode: .pooled, createdAt: Date()))
        let broker = Broker(
            store: store, hypervisor: LibvirtHypervisor(policy: .localOnly), forwarder: RecordingForwarder(),
            settings: BrokerSettings(publicAddress: "198.51.100.1", portRange: 20000...20001, ticketValidity: 30))
        let hosts = try await broker.hosts()
        #expect(hosts.count == 1 && hosts.first?.reachable == false)
        let error = try #require(hosts.first?.error)
        #expect(error.contains("libvirt.allowedURIs") && !error.contains("root:"), "\(error)")
    }
}
