import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Admins ask for a thumbnail of a VM's screen: a small PNG of a running VM, clear refusals otherwise.
@Suite("Thumbnails of VM screens")
struct ThumbnailRequestTests {
    @Test func anAdminGetsASmallPNGOfARunningVM() async throws {
        let fixture = try await BrokerFixture()
        let boss = try await fixture.user("boss", admin: true)
        let alice = try await fixture.user("alice")
        let vm = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session.vm

        let png = try await fixture.broker.thumbnail(ofVM: vm, inPool: "office", requestedBy: boss)
        let size = try #require(pngSize(png), "not a PNG: \(png.prefix(16))")
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
            #expect(error?.code.rawValue == code && error?.httpStatus == status, "\(vm) of \(pool) for \(user.name): \(String(describing: error))")
        }
        #expect(await fixture.hypervisor.screenshots == 0)

        _ = try await fixture.hypervisor.startIfNeeded(VMRef(connectURI: "test:///default", domain: "desk1"))
        await fixture.hypervisor.setScreen(Screenshot(mimeType: "image/x-portable-pixmap", bytes: Array("P6\n2 2\n255\n".utf8)))
        let unreadable = await #expect(throws: BrokerError.self) {
            try await fixture.broker.thumbnail(ofVM: "desk1", inPool: "office", requestedBy: boss)
        }
        #expect(unreadable?.code == .hypervisorError && unreadable?.httpStatus == 502)
        #expect(unreadable?.message.contains("needs 12 bytes of pixels") == true, "\(String(describing: unreadable))")
    }
}
