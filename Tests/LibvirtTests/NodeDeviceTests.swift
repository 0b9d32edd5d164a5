import Foundation
import Libvirt
import Testing

/// Node devices read through libvirt's test driver from a custom host file: `test:///abs/path.xml`.
@Suite("LibvirtConnection node devices on a custom test host")
struct NodeDeviceTests {
    /// A host with one vGPU-capable board, one active mediated device on it, and a network card.
    static let host = """
        <node>
          <device>
            <name>computer</name>
            <capability type='system'><hardware><uuid>6a1f0c5e-3c1d-4e0b-9d52-3b0a2c9e7f10</uuid></hardware><firmware/></capability>
          </device>
          <device>
            <name>pci_0000_3b_00_0</name>
            <path>/sys/devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0</path>
            <parent>computer</parent>
            <capability type='pci'>
              <class>0x030200</class>
              <domain>0</domain><bus>59</bus><slot>0</slot><function>0</function>
              <product id='0x1bb3'>GP104GL [Tesla P4]</product>
              <vendor id='0x10de'>NVIDIA Corporation</vendor>
              <capability type='mdev_types'>
                <type id='nvidia-63'><name>GRID P4-1Q</name><deviceAPI>vfio-pci</deviceAPI><availableInstances>7</availableInstances></type>
              </capability>
            </capability>
          </device>
          <device>
            <name>mdev_4b20d080_1b54_4048_85b3_a6a62d165c01_0000_3b_00_0</name>
            <parent>pci_0000_3b_00_0</parent>
            <capability type='mdev'><type id='nvidia-63'/><uuid>4b20d080-1b54-4048-85b3-a6a62d165c01</uuid><iommuGroup number='12'/></capability>
          </device>
          <device>
            <name>pci_0000_18_00_0</name>
            <parent>computer</parent>
            <capability type='pci'>
              <class>0x020000</class>
              <domain>0</domain><bus>24</bus><slot>0</slot><function>0</function>
              <product id='0x1572'>Ethernet Controller X710 for 10GbE SFP+</product>
              <vendor id='0x8086'>Intel Corporation</vendor>
            </capability>
          </device>
        </node>
        """

    @Test func listsEveryDeviceSortedWithItsXML() async throws {
        try await withHost(Self.host) { connection in
            let devices = try await connection.nodeDevices()
            #expect(devices.map(\.name) == [
                "computer", "mdev_4b20d080_1b54_4048_85b3_a6a62d165c01_0000_3b_00_0", "pci_0000_18_00_0",
                "pci_0000_3b_00_0",
            ])
            let board = try #require(devices.first { $0.name == "pci_0000_3b_00_0" })
            #expect(board.xml.hasPrefix("<device>"))
            #expect(board.xml.contains("<name>pci_0000_3b_00_0</name>"))
            #expect(board.xml.contains("<class>0x030200</class>"))
            #expect(board.xml.contains("<capability type='mdev_types'>"))
            #expect(board.xml.contains("<availableInstances>7</availableInstances>"))
            let mdev = try #require(devices.first { $0.name.hasPrefix("mdev_") })
            #expect(mdev.xml.contains("<parent>pci_0000_3b_00_0</parent>"))
            #expect(mdev.xml.contains("<type id='nvidia-63'/>"))
        }
    }

    @Test func theTestDriverCannotTellWhetherADeviceIsActive() async throws {
        try await withHost(Self.host) { connection in
            let devices = try await connection.nodeDevices()
            #expect(!devices.isEmpty)
            #expect(devices.allSatisfy { $0.isActive == nil })
            // The unsupported call's error must not stick to the connection.
            #expect(try await connection.domains().isEmpty)
        }
    }

    @Test func aClosedConnectionThrows() async throws {
        try await withHost(Self.host) { connection in
            connection.close()
            await #expect(throws: LibvirtError.self) { try await connection.nodeDevices() }
        }
    }

    /// Writes `xml` to a temporary host file, opens the test driver on it, runs `body`, and removes the file.
    private func withHost(_ xml: String, _ body: (LibvirtConnection) async throws -> Void) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-node-\(UUID().uuidString).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let connection = try await LibvirtConnection.open("test://\(file.path)")
        defer { connection.close() }
        try await body(connection)
    }
}
