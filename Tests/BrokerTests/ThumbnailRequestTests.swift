import Broker
import BrokerTestSupport
import Foundation
import Libvirt
import Store
import Testing

/// Admins ask for a thumbnail of a VM's screen: a small PNG of a running VM, clear refusals otherwise.
@Suite("Thumbnails of VM screens")
struct ThumbnailRequestTests {
    /// Width and height from a PNG's `IHDR`, which always comes first.
    static func pngSize(_ png: [UInt8]) -> (Int, Int)? {
        guard png.count > 24, png.starts(with: [0x89, 0x50, 0x4E, 0x47]), Array(png[12..<16]) == Array("IHDR".utf8) else {
            return nil
        }
        let number = { (start: Int) in png[start..<start + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (number(16), number(20))
    }

    @Test func anAdminGetsASmallPNGOfARunningVM() async throws {
        let fixture = try await BrokerFixture()
        let boss = try await fixture.user("boss", admin: true)
        let alice = try await fixture.user("alice")
        let vm = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session.vm

        let png = try await fixture.broker.thumbnail(ofVM: vm, inPool: "office", requestedBy: boss)
        let size = try #require(Self.pngSize(png), "not a PNG: \(png.prefix(16))")
        #expect(size == (Broker.thumbnailWidth, 200), "the fake's 640×400 screen, halved")
        #expect(await fixture.hypervisor.screenshots == 1)

        let views = try await fixture.broker.poolViews(requestedBy: boss)
        let running = views.first?.vms.map { "\($0.name):\($0.running.map(String.init) ?? "?")" }
        #expect(running == ["desk1", "desk2", "desk3"].map { "\($0):\($0 == vm)" })
    }

    @Test func aPNGScreenNoWiderThanAThumbnailPassesThrough() async throws {
        let fixture = try await BrokerFixture()
        let boss = try await fixture.user("boss", admin: true)
        _ = try await fixture.hypervisor.startIfNeeded(VMRef(connectURI: "test:///default", domain: "desk2"))
        let png = [UInt8](Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQI12P4//8/AAX+Av7czFnnAAAAAElFTkSuQmCC")!)
        await fixture.hypervisor.setScreen(Screenshot(mimeType: "image/png", bytes: png))
        #expect(try await fixture.broker.thumbnail(ofVM: "desk2", inPool: "office", requestedBy: boss) == png)
    }

    @Test func othersStoppedVMsUnknownNamesAndBadImagesAreRefused() async throws {
        let fixture = try await BrokerFixture()
        let boss = try await fixture.user("boss", admin: true)
        let alice = try await fixture.user("alice")
        let refusals: [(String, String, UserRecord, String, Int)] = [
            ("desk1", "office", alice, "forbidden", 403),
            ("desk1", "office", boss, "vm_not_running", 409),
            ("nope", "office", boss, "vm_not_found", 404),
            ("desk1", "nowhere", boss, "pool_not_found", 404),
        ]
        for (vm, pool, user, code, status) in refusals {
            let error = await #expect(throws: BrokerError.self) {
                try await fixture.broker.thumbnail(ofVM: vm, inPool: pool, requestedBy: user)
            }
            #expect(error?.code == code && error?.httpStatus == status, "\(vm) of \(pool) for \(user.name): \(String(describing: error))")
        }
        #expect(await fixture.hypervisor.screenshots == 0)

        _ = try await fixture.hypervisor.startIfNeeded(VMRef(connectURI: "test:///default", domain: "desk1"))
        await fixture.hypervisor.setScreen(Screenshot(mimeType: "image/x-portable-pixmap", bytes: Array("P6\n2 2\n255\n".utf8)))
        let unreadable = await #expect(throws: BrokerError.self) {
            try await fixture.broker.thumbnail(ofVM: "desk1", inPool: "office", requestedBy: boss)
        }
        #expect(unreadable?.code == "hypervisor_error" && unreadable?.httpStatus == 502)
        #expect(unreadable?.message.contains("needs 12 bytes of pixels") == true, "\(String(describing: unreadable))")
    }
}

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
        #expect(unknown?.code == "vm_not_found" && unknown?.httpStatus == 404)
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
        let size = try #require(ThumbnailRequestTests.pngSize(png))
        #expect(size == (320, 238), "the driver's 1120×832 grey screen, shrunk")
    }
}
