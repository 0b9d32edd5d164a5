import Broker
import BrokerTestSupport
import Foundation
import Libvirt
import LibvirtHypervisor
import Store
import Testing

/// `LibvirtHypervisor.screenshot(of:)` on libvirt's test driver, which would answer even for a stopped domain.
@Suite("Screenshots through LibvirtHypervisor")
struct LibvirtScreenshotTests {
    @Test func onlyARunningDomainIsAskedForItsScreen() async throws {
        let connection = try await LibvirtConnection.open("test:///default")
        defer { connection.close() }
        let hypervisor = LibvirtHypervisor(connections: [connection])
        let shot = try await hypervisor.screenshot(of: VMRef(connectURI: connection.uri, domain: "test"))
        #expect(shot.mimeType == "image/png" && shot.bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let name = "saffron-brokertest-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await connection.define(xml: """
            <domain type='test'><name>\(name)</name><memory unit='KiB'>65536</memory>
            <os><type arch='x86_64'>hvm</type></os><devices/></domain>
            """)
        let stopped = await #expect(throws: BrokerError.self) {
            try await hypervisor.screenshot(of: VMRef(connectURI: connection.uri, domain: name))
        }
        try await connection.undefine(named: name)
        #expect(stopped == BrokerError.vmNotRunning(name))
        let unknown = await #expect(throws: BrokerError.self) {
            try await hypervisor.screenshot(of: VMRef(connectURI: connection.uri, domain: name))
        }
        #expect(unknown?.code == .vmNotFound && unknown?.httpStatus == 404)
    }

    @Test func theTestDriversPNGIsShrunkToAThumbnail() async throws {
        let connection = try await LibvirtConnection.open("test:///default")
        defer { connection.close() }
        let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
        let broker = Broker(
            store: store, hypervisor: LibvirtHypervisor(connections: [connection]), forwarder: RecordingForwarder(),
            settings: BrokerSettings(publicAddress: "198.51.100.1", portRange: 20000...20001, ticketValidity: 30))
        // The driver's built-in domain has no SPICE, so it joins through the store rather than `addVMs`.
        try await store.addPool(PoolRecord(name: "drv", connectURI: connection.uri, desktopMode: .pooled, createdAt: Date()))
        try await store.addVMs(["test"], toPool: "drv", now: Date())
        let boss = UserRecord(name: "boss", passwordHash: "", isAdmin: true, createdAt: Date())
        let png = try await broker.thumbnail(ofVM: "test", inPool: "drv", requestedBy: boss)
        let size = try #require(pngSize(png))
        #expect(size == (320, 238), "the driver's 1120×832 grey screen, shrunk")
    }
}
