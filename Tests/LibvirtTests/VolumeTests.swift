import Foundation
import Libvirt
import Testing

/// Storage volumes on the test driver's `default-pool`: the overlays template pools give their desktops.
@Suite("Storage volumes on test:///default")
struct VolumeTests {
    private static let uri = "test:///default"
    private static let storagePool = "default-pool"

    @Test func overlayIsAsLargeAsItsBaseAndDeletedOnce() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let base = Fixtures.uniqueName("base") + ".qcow2"
        let overlay = Fixtures.uniqueName("overlay") + ".qcow2"
        let basePath = try await connection.createBlankVolume(named: base, inStoragePool: Self.storagePool, capacity: 48 << 20)
        #expect(basePath == "/default-pool/\(base)")

        let overlayPath = try await connection.createOverlay(named: overlay, inStoragePool: Self.storagePool, backingPath: basePath)
        #expect(overlayPath == "/default-pool/\(overlay)")
        #expect(try await connection.volumeCapacity(atPath: overlayPath) == 48 << 20)
        #expect(try await connection.volumePath(named: overlay, inStoragePool: Self.storagePool) == overlayPath)

        #expect(try await connection.deleteVolume(named: overlay, inStoragePool: Self.storagePool))
        #expect(try await connection.volumePath(named: overlay, inStoragePool: Self.storagePool) == nil)
        #expect(try await !connection.deleteVolume(named: overlay, inStoragePool: Self.storagePool))
        try await connection.deleteVolume(named: base, inStoragePool: Self.storagePool)
    }

    @Test func overlayOfAnImageLibvirtDoesNotKnowIsRefused() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let error = try await #require(throws: LibvirtError.self) {
            try await connection.createOverlay(
                named: Fixtures.uniqueName() + ".qcow2", inStoragePool: Self.storagePool, backingPath: "/nowhere/base.qcow2")
        }
        #expect(error.message.contains("/nowhere/base.qcow2"))
    }

    @Test func unknownStoragePoolIsReported() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        await #expect(throws: LibvirtError.self) {
            try await connection.createBlankVolume(named: "x.qcow2", inStoragePool: "saffron-no-such-pool", capacity: 1 << 20)
        }
        #expect(try await connection.storagePoolIsActive(Self.storagePool))
    }
}
