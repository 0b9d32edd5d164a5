import Foundation
import Libvirt
import LibvirtHypervisor

/// A GPU host for libvirt's test driver (`test:///path/to/file.xml`): two NVIDIA vGPU boards, one plain GPU passed
/// through to a running domain, and PCI devices that are not GPUs.
enum GPUHostFixture {
    /// The Tesla P4 at 0000:3b:00.0 hosts two GRID P4-1Q vGPUs (6 more fit); having one profile in use, it offers
    /// no other profile, as NVIDIA's time-sliced boards report. The Tesla T4 at 0000:5e:00.0 is empty. The Radeon at
    /// 0000:af:00.0 offers no vGPU and is passed through to `cad-1`; its HDMI audio function and the network card
    /// are not GPUs.
    static let host = """
        <node>
          <domain type='test'>
            <name>cad-1</name>
            <memory unit='KiB'>65536</memory>
            <os><type arch='x86_64'>hvm</type></os>
            <devices>
              <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0xaf' slot='0x00' function='0x0'/></source></hostdev>
            </devices>
          </domain>
          <device>
            <name>computer</name>
            <capability type='system'><hardware><uuid>6a1f0c5e-3c1d-4e0b-9d52-3b0a2c9e7f10</uuid></hardware><firmware/></capability>
          </device>
          \(board(bus: "3b", busDecimal: 59, productID: "0x1bb3", product: "GP104GL [Tesla P4]", types: [
              ("nvidia-63", "GRID P4-1Q", 6), ("nvidia-64", "GRID P4-2Q", 0), ("nvidia-65", "GRID P4-4Q", 0),
          ]))
          \(mdev("4b20d080-1b54-4048-85b3-a6a62d165c01", type: "nvidia-63", parentBus: "3b"))
          \(mdev("7d1a2b3c-0000-4000-8000-00000000d002", type: "nvidia-63", parentBus: "3b"))
          \(board(bus: "5e", busDecimal: 94, productID: "0x1eb8", product: "TU104GL [Tesla T4]", types: [
              ("nvidia-222", "GRID T4-1B", 16), ("nvidia-230", "GRID T4-1Q", 16), ("nvidia-231", "GRID T4-2Q", 8),
              ("nvidia-234", "GRID T4-16Q", 1),
          ]))
          <device>
            <name>pci_0000_af_00_0</name>
            <parent>computer</parent>
            <capability type='pci'>
              <class>0x030000</class>
              <domain>0</domain><bus>175</bus><slot>0</slot><function>0</function>
              <product id='0x73a3'>Navi 21 GL-XL [Radeon PRO W6800]</product>
              <vendor id='0x1002'>Advanced Micro Devices, Inc. [AMD/ATI]</vendor>
            </capability>
          </device>
          <device>
            <name>pci_0000_af_00_1</name>
            <parent>computer</parent>
            <capability type='pci'>
              <class>0x040300</class>
              <domain>0</domain><bus>175</bus><slot>0</slot><function>1</function>
              <product id='0xab28'>Navi 21/23 HDMI/DP Audio Controller</product>
              <vendor id='0x1002'>Advanced Micro Devices, Inc. [AMD/ATI]</vendor>
            </capability>
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

    static let p4 = PCIAddress(bus: 0x3b, slot: 0, function: 0)
    static let t4 = PCIAddress(bus: 0x5e, slot: 0, function: 0)
    static let radeon = PCIAddress(bus: 0xaf, slot: 0, function: 0)

    /// Writes `xml` to a temporary file, runs `body` with its test-driver URI, and removes the file.
    static func withHost<T>(_ xml: String = host, _ body: (String) async throws -> T) async throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-gpu-\(UUID().uuidString).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await body("test://\(file.path)")
    }

    private static func board(
        bus: String, busDecimal: Int, productID: String, product: String, types: [(String, String, Int)]
    ) -> String {
        let offered = types.map { id, name, available in
            "<type id='\(id)'><name>\(name)</name><deviceAPI>vfio-pci</deviceAPI><availableInstances>\(available)</availableInstances></type>"
        }
        return """
            <device>
              <name>pci_0000_\(bus)_00_0</name>
              <parent>computer</parent>
              <capability type='pci'>
                <class>0x030200</class>
                <domain>0</domain><bus>\(busDecimal)</bus><slot>0</slot><function>0</function>
                <product id='\(productID)'>\(product)</product>
                <vendor id='0x10de'>NVIDIA Corporation</vendor>
                <capability type='mdev_types'>\(offered.joined())</capability>
              </capability>
            </device>
            """
    }

    private static func mdev(_ uuid: String, type: String, parentBus: String) -> String {
        """
        <device>
          <name>mdev_\(uuid.replacingOccurrences(of: "-", with: "_"))_0000_\(parentBus)_00_0</name>
          <parent>pci_0000_\(parentBus)_00_0</parent>
          <capability type='mdev'><type id='\(type)'/><uuid>\(uuid)</uuid></capability>
        </device>
        """
    }
}
