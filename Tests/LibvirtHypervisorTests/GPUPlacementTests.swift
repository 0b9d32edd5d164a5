import Broker
import Foundation
import Libvirt
import LibvirtHypervisor
import Testing

@Suite("GPU placement")
struct GPUPlacementTests {
    static func fixtureInventory() async throws -> GPUInventory {
        try await GPUHostFixture.withHost { uri in try await GPUInventory.read(connectURI: uri) }
    }

    /// Two boards offering the same profile, with `available` instances each.
    static func twoBoards(available first: Int, _ second: Int) -> GPUInventory {
        func board(_ bus: Int, _ available: Int) -> GPUDevice {
            GPUDevice(
                nodeName: "pci_0000_\(String(bus, radix: 16))_00_0", address: PCIAddress(bus: bus, slot: 0, function: 0),
                pciClass: 0x030200,
                mediatedTypes: [MediatedDeviceType(id: "nvidia-231", name: "GRID T4-2Q", deviceAPI: "vfio-pci", availableInstances: available, instancesInUse: 8 - available)],
                mediatedInUse: 8 - available)
        }
        return GPUInventory(devices: [board(0x5e, first), board(0x86, second)])
    }

    @Test func placesVGPUsWhileTheBoardHasRoomThenAnswers503() async throws {
        var planner = GPUPlanner(inventory: try await Self.fixtureInventory())
        var uuids: Set<String> = []
        for _ in 0..<6 {
            let placement = try planner.place(.vgpu(typeID: "nvidia-63"))
            #expect(placement.device == GPUHostFixture.p4)
            #expect(placement.nodeName == "pci_0000_3b_00_0")
            #expect(placement.mediatedTypeID == "nvidia-63")
            guard case .mediated(let uuid) = placement.hostdev else {
                Issue.record("expected a mediated hostdev, got \(placement.hostdev)")
                continue
            }
            #expect(UUID(uuidString: uuid) != nil && uuid == uuid.lowercased())
            uuids.insert(uuid)
        }
        #expect(uuids.count == 6)
        let error = #expect(throws: BrokerError.self) { try planner.place(.vgpu(typeID: "nvidia-63")) }
        #expect(error?.code == .gpuCapacityExhausted)
        #expect(error?.httpStatus == 503)
        #expect(error?.message.contains("nvidia-63 (GRID P4-1Q)") == true)
        #expect(error?.message.contains("full") == true)
    }

    @Test func aProfileTheBoardReportsNoRoomForIsRefused() async throws {
        var planner = GPUPlanner(inventory: try await Self.fixtureInventory())
        let error = #expect(throws: BrokerError.self) { try planner.place(.vgpu(typeID: "nvidia-64")) }
        #expect(error?.code == .gpuCapacityExhausted)
        #expect(error?.message.contains("the one board offering it is full") == true)
    }

    @Test func aTypeNoBoardOffersIsNamed() async throws {
        var planner = GPUPlanner(inventory: try await Self.fixtureInventory())
        let error = #expect(throws: BrokerError.self) { try planner.place(.vgpu(typeID: "nvidia-999")) }
        #expect(error?.code == .gpuTypeNotOffered)
        #expect(error?.httpStatus == 503)
        #expect(error?.message.contains("nvidia-999") == true)
    }

    @Test func aPassThroughGPUIsNeverGivenTwice() async throws {
        // The Radeon is taken by cad-1 and the P4 hosts vGPUs, so only the T4 is free, and only once.
        var planner = GPUPlanner(inventory: try await Self.fixtureInventory())
        let placement = try planner.place(.passthrough)
        #expect(placement.device == GPUHostFixture.t4)
        #expect(placement.hostdev == .pciPassthrough(GPUHostFixture.t4))
        #expect(placement.mediatedTypeID == nil)
        let error = #expect(throws: BrokerError.self) { try planner.place(.passthrough) }
        #expect(error?.code == .gpuCapacityExhausted)
        #expect(error?.httpStatus == 503)
        // A board given whole hosts no vGPU either.
        #expect(throws: BrokerError.self) { try planner.place(.vgpu(typeID: "nvidia-231")) }
    }

    @Test func passThroughPrefersGPUsWithoutVGPUProfiles() async throws {
        let free = try await Self.fixtureInventory().devices.map { device in
            GPUDevice(
                nodeName: device.nodeName, address: device.address, pciClass: device.pciClass,
                mediatedTypes: device.mediatedTypes)
        }
        var planner = GPUPlanner(inventory: GPUInventory(devices: free))
        #expect(try planner.place(.passthrough).device == GPUHostFixture.radeon)
        #expect(try planner.place(.passthrough).device == GPUHostFixture.p4)
        #expect(try planner.place(.passthrough).device == GPUHostFixture.t4)
        #expect(throws: BrokerError.self) { try planner.place(.passthrough) }
    }

    @Test func aBoardWithAVGPUPlacedIsNotPassedThrough() throws {
        var planner = GPUPlanner(inventory: Self.twoBoards(available: 8, 8))
        #expect(try planner.place(.vgpu(typeID: "nvidia-231")).device == PCIAddress(bus: 0x5e, slot: 0, function: 0))
        #expect(try planner.place(.passthrough).device == PCIAddress(bus: 0x86, slot: 0, function: 0))
        #expect(throws: BrokerError.self) { try planner.place(.passthrough) }
    }

    @Test func fillFirstPacksTheFullerBoard() throws {
        var planner = GPUPlanner(inventory: Self.twoBoards(available: 6, 2))
        let fuller = PCIAddress(bus: 0x86, slot: 0, function: 0)
        #expect(try planner.place(.vgpu(typeID: "nvidia-231")).device == fuller)
        #expect(try planner.place(.vgpu(typeID: "nvidia-231")).device == fuller)
        #expect(try planner.place(.vgpu(typeID: "nvidia-231")).device == PCIAddress(bus: 0x5e, slot: 0, function: 0))
    }

    @Test func spreadUsesTheEmptierBoardAndFillsBothToTheEnd() throws {
        var planner = GPUPlanner(inventory: Self.twoBoards(available: 3, 2), policy: .spread)
        let devices = try (0..<5).map { _ in try planner.place(.vgpu(typeID: "nvidia-231")).device.bus }
        // 3 vs 2 left: the emptier 5e; then 2 vs 2, a tie the lower address wins; then 86, and so on.
        #expect(devices == [0x5e, 0x5e, 0x86, 0x5e, 0x86])
        let error = #expect(throws: BrokerError.self) { try planner.place(.vgpu(typeID: "nvidia-231")) }
        #expect(error?.message.contains("all 2 boards offering it are full") == true)
    }
}
