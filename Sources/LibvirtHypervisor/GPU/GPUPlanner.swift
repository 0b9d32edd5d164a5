import Broker
import Foundation
import Libvirt

/// Where a GPU request was placed: the board, and the host device to add to the domain.
public struct GPUPlacement: Hashable, Sendable {
    /// The board's PCI address.
    public let device: PCIAddress
    /// The board's libvirt node device name: the parent to create a mediated device on.
    public let nodeName: String
    /// The mediated device type to create, nil for pass-through.
    public let mediatedTypeID: String?
    /// The `<hostdev>` to give the domain (`DomainXML.addingGPU`); for a vGPU, the UUID to create the mediated
    /// device with.
    public let hostdev: GPUHostdev
}

/// Which board a vGPU goes to when several have room.
public enum GPUPlacementPolicy: Sendable {
    /// The board with the fewest instances of the type left: boards fill up one after another, so the others stay
    /// empty for other profiles (NVIDIA time-sliced boards host one profile at a time) and for pass-through.
    case fillFirst
    /// The board with the most instances left: desktops share fewer engines, at the cost of mixing boards.
    case spread
}

/// Places GPU requests on a host's boards, remembering what it placed so one board is never given twice.
///
/// The planner trusts the inventory's `availableInstances`; read the inventory afresh once the mediated devices
/// are created, since only the host knows how one profile's instances affect another's.
public struct GPUPlanner: Sendable {
    /// The host's GPUs as read before planning.
    public let inventory: GPUInventory
    /// How vGPUs are spread over boards; fill-first unless said otherwise.
    public let policy: GPUPlacementPolicy
    private let makeUUID: @Sendable () -> String
    private var placedWhole: Set<PCIAddress> = []
    private var placedMediated: [PCIAddress: [String: Int]] = [:]

    /// - Parameter makeUUID: the UUID for each new mediated device; random (lowercase) unless a test fixes it.
    public init(
        inventory: GPUInventory, policy: GPUPlacementPolicy = .fillFirst,
        makeUUID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.inventory = inventory
        self.policy = policy
        self.makeUUID = makeUUID
    }

    /// Picks a board for `request` and records it as taken.
    ///
    /// Pass-through takes a GPU no domain has and that hosts no vGPU, preferring GPUs without vGPU profiles so
    /// vGPU-capable boards stay free, then the lowest PCI address. Throws `BrokerError` 503 `gpu_capacity_exhausted`
    /// when no board has room, or `gpu_type_not_offered` when no board offers the requested type at all.
    public mutating func place(_ request: GPURequest) throws -> GPUPlacement {
        switch request {
        case .passthrough:
            let free = inventory.devices.filter { isFreeForPassthrough($0) }
            // Plain GPUs (no vGPU profiles) first, then by address.
            let key = { (device: GPUDevice) in (device.mediatedTypes.isEmpty ? 0 : 1, device.address) }
            guard let device = free.min(by: { key($0) < key($1) }) else {
                throw BrokerError.gpuCapacityExhausted(
                    "No GPU is free for pass-through: every one of the host's \(inventory.devices.count) GPUs is "
                        + "given to a domain or hosts vGPUs. Try again later or ask an admin to add GPUs.")
            }
            placedWhole.insert(device.address)
            return GPUPlacement(
                device: device.address, nodeName: device.nodeName, mediatedTypeID: nil,
                hostdev: .pciPassthrough(device.address))
        case .vgpu(let typeID):
            let offering = inventory.devices.filter { $0.mediatedType(typeID) != nil }
            guard let profile = offering.lazy.compactMap({ $0.mediatedType(typeID) }).first else {
                throw BrokerError.gpuTypeNotOffered(typeID)
            }
            let candidates = offering.map { ($0, remaining(typeID, on: $0)) }.filter { $0.1 > 0 }
            let chosen = candidates.min { lhs, rhs in
                let (left, right) = policy == .fillFirst ? (lhs.1, rhs.1) : (-lhs.1, -rhs.1)
                return (left, lhs.0.address) < (right, rhs.0.address)
            }
            guard let device = chosen?.0 else {
                let label = profile.name.map { "\(typeID) (\($0))" } ?? typeID
                let boards = offering.count == 1 ? "the one board offering it is" : "all \(offering.count) boards offering it are"
                throw BrokerError.gpuCapacityExhausted(
                    "No GPU board has room for another \(label) vGPU: \(boards) full. "
                        + "Try again later or ask an admin to add GPUs.")
            }
            placedMediated[device.address, default: [:]][typeID, default: 0] += 1
            return GPUPlacement(
                device: device.address, nodeName: device.nodeName, mediatedTypeID: typeID,
                hostdev: .mediated(uuid: makeUUID()))
        }
    }

    private func isFreeForPassthrough(_ device: GPUDevice) -> Bool {
        device.isFreeForPassthrough && !placedWhole.contains(device.address) && placedMediated[device.address] == nil
    }

    /// Instances of `typeID` the board can still take: none once the board is passed through whole.
    private func remaining(_ typeID: String, on device: GPUDevice) -> Int {
        guard device.passthroughDomains.isEmpty, !placedWhole.contains(device.address),
            let type = device.mediatedType(typeID)
        else { return 0 }
        return type.availableInstances - (placedMediated[device.address]?[typeID] ?? 0)
    }
}
