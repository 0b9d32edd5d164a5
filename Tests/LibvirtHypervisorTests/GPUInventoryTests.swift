import Broker
import Foundation
import Libvirt
import LibvirtHypervisor
import Testing

@Suite("GPU inventory from node devices")
struct GPUInventoryTests {
    @Test func readsTheBoardsOfATestDriverHost() async throws {
        let inventory = try await GPUHostFixture.withHost { uri in try await GPUInventory.read(connectURI: uri) }
        #expect(inventory.devices.map(\.address) == [GPUHostFixture.p4, GPUHostFixture.t4, GPUHostFixture.radeon])
        #expect(inventory.devices.map(\.nodeName) == ["pci_0000_3b_00_0", "pci_0000_5e_00_0", "pci_0000_af_00_0"])

        let p4 = try #require(inventory.device(at: GPUHostFixture.p4))
        #expect(p4.product == "GP104GL [Tesla P4]")
        #expect(p4.vendor == "NVIDIA Corporation")
        #expect(p4.vendorID == 0x10de && p4.productID == 0x1bb3)
        #expect(p4.pciClass == 0x030200)
        #expect(p4.mediatedInUse == 2)
        #expect(!p4.isFreeForPassthrough)
        let oneQ = try #require(p4.mediatedType("nvidia-63"))
        #expect(oneQ.name == "GRID P4-1Q")
        #expect(oneQ.deviceAPI == "vfio-pci")
        #expect(oneQ.instancesInUse == 2)
        #expect(oneQ.availableInstances == 6)
        #expect(oneQ.maxInstances == 8)
        #expect(oneQ.framebufferMiB == 1024)
        // While 1Q vGPUs run, the host offers no 2Q: its maximum is what it reports, not a datasheet's 4.
        #expect(p4.mediatedType("nvidia-64")?.maxInstances == 0)

        let t4 = try #require(inventory.device(at: GPUHostFixture.t4))
        #expect(t4.mediatedTypes.map(\.id) == ["nvidia-222", "nvidia-230", "nvidia-231", "nvidia-234"])
        #expect(t4.mediatedTypes.map(\.maxInstances) == [16, 16, 8, 1])
        #expect(t4.mediatedTypes.map(\.framebufferMiB) == [1024, 1024, 2048, 16384])
        #expect(t4.isFreeForPassthrough)

        let radeon = try #require(inventory.device(at: GPUHostFixture.radeon))
        #expect(radeon.mediatedTypes.isEmpty)
        #expect(radeon.pciClass == 0x030000)
        #expect(radeon.passthroughDomains == ["cad-1"])
        #expect(!radeon.isFreeForPassthrough)
    }

    @Test func anInactiveMediatedDeviceUsesNothing() throws {
        let board = NodeDevice(name: "pci_0000_3b_00_0", xml: """
            <device><name>pci_0000_3b_00_0</name><capability type='pci'><class>0x030200</class>
            <domain>0</domain><bus>59</bus><slot>0</slot><function>0</function>
            <product id='0x1bb3'/><vendor id='0x10de'/>
            <capability type='mdev_types'><type id='nvidia-63'><deviceAPI>vfio-pci</deviceAPI><availableInstances>7</availableInstances></type></capability>
            </capability></device>
            """)
        func mdev(_ name: String, active: Bool?) -> NodeDevice {
            NodeDevice(name: name, xml: """
                <device><name>\(name)</name><parent>pci_0000_3b_00_0</parent>
                <capability type='mdev'><type id='nvidia-63'/></capability></device>
                """, isActive: active)
        }
        let inventory = try GPUInventory(nodeDevices: [board, mdev("mdev_a", active: true), mdev("mdev_b", active: false)])
        let type = try #require(inventory.devices.first?.mediatedType("nvidia-63"))
        #expect(type.instancesInUse == 1)
        #expect(type.maxInstances == 8)
        #expect(type.name == nil && type.framebufferMiB == nil)
        #expect(inventory.devices.first?.product == nil)
    }

    @Test func profileNamesGiveMemoryOnlyWhenTheyStateIt() {
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID P4-1Q") == 1024)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID T4-16Q") == 16384)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "NVIDIA A16-2B") == 2048)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID M60-0B") == 512)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "NVIDIA A100-2-10C") == 10240)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID RTX6000-4A") == 4096)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GVTg_V5_4") == nil)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID K260Q") == nil)
        #expect(MediatedDeviceType.framebufferMiB(profileName: "GRID P4-1X") == nil)
    }

    @Test func unreadableDeviceXMLIsAHypervisorError() {
        let error = #expect(throws: BrokerError.self) {
            try GPUInventory(nodeDevices: [NodeDevice(name: "pci_bad", xml: "<device><name>pci_bad</name>")])
        }
        #expect(error?.code == .hypervisorError)
        let noAddress = NodeDevice(name: "pci_x", xml: "<device><name>pci_x</name><capability type='pci'><class>0x030000</class></capability></device>")
        #expect(throws: BrokerError.self) { try GPUInventory(nodeDevices: [noAddress]) }
    }
}
