import Foundation
import Testing

@testable import Libvirt

/// Creating and destroying mediated devices (vGPUs). libvirt's test driver creates only NPIV vHBAs and refuses a
/// mediated device; asked to destroy one, it answers success but keeps listing it (its destroy handles vHBAs only).
/// So creation is checked for its XML and for passing libvirt's refusal on, destruction for finding the device and
/// calling libvirt, not for the device being gone.
@Suite("LibvirtConnection mediated devices")
struct MediatedDeviceTests {
    static let uuid = "4b20d080-1b54-4048-85b3-a6a62d165c01"
    /// The host of the node-device tests: a Tesla P4 with one mediated device of ours (`uuid`) on it.
    static let host = NodeDeviceTests.host

    @Test func theRequestNamesParentTypeAndUUID() throws {
        let xml = try LibvirtConnection.mediatedDeviceXML(parent: "pci_0000_3b_00_0", typeID: "nvidia-63", uuid: Self.uuid)
        #expect(xml == """
            <device><parent>pci_0000_3b_00_0</parent><capability type='mdev'><type id='nvidia-63'/>\
            <uuid>4b20d080-1b54-4048-85b3-a6a62d165c01</uuid></capability></device>
            """)
        #expect(try LibvirtConnection.mediatedDeviceXML(parent: "p", typeID: "a'b<", uuid: Self.uuid).contains("id='a&apos;b&lt;'"))
        #expect(throws: LibvirtError.self) {
            try LibvirtConnection.mediatedDeviceXML(parent: "p", typeID: "t", uuid: Self.uuid.uppercased())
        }
        #expect(throws: LibvirtError.self) { try LibvirtConnection.mediatedDeviceXML(parent: "", typeID: "t", uuid: Self.uuid) }
    }

    @Test func findsTheDeviceUnderEitherOfLibvirtsNames() {
        let stem = "mdev_4b20d080_1b54_4048_85b3_a6a62d165c01"
        #expect(LibvirtConnection.mediatedDeviceName(uuid: Self.uuid, among: ["computer", stem]) == stem)
        #expect(LibvirtConnection.mediatedDeviceName(uuid: Self.uuid, among: [stem + "_0000_3b_00_0"]) == stem + "_0000_3b_00_0")
        #expect(LibvirtConnection.mediatedDeviceName(uuid: Self.uuid, among: [stem + "0", "pci_0000_3b_00_0"]) == nil)
    }

    @Test func destroyingFindsTheDeviceByUUIDOrReportsNone() async throws {
        try await withHost { connection in
            let destroyed = try await connection.destroyMediatedDevice(uuid: Self.uuid)
            #expect(destroyed)
            let unknown = try await connection.destroyMediatedDevice(uuid: "11111111-2222-4333-8444-555555555555")
            #expect(!unknown)
        }
    }

    @Test func theTestDriversRefusalToCreateOneIsPassedOn() async throws {
        try await withHost { connection in
            let error = await #expect(throws: LibvirtError.self) {
                try await connection.createMediatedDevice(
                    parent: "pci_0000_3b_00_0", typeID: "nvidia-63", uuid: "11111111-2222-4333-8444-555555555555")
            }
            #expect(error?.message.isEmpty == false)
            let mediated = try await connection.nodeDevices().filter { $0.name.hasPrefix("mdev_") }
            #expect(mediated.count == 1)
        }
    }

    private func withHost(_ body: (LibvirtConnection) async throws -> Void) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-mdev-\(UUID().uuidString).xml")
        try Self.host.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let connection = try await LibvirtConnection.open("test://\(file.path)")
        defer { connection.close() }
        try await body(connection)
    }
}
