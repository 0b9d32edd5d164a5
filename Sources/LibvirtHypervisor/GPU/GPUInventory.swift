import Libvirt

/// The GPUs of one host, read from libvirt's node devices: each board with its vGPU profiles and their use.
public struct GPUInventory: Hashable, Sendable {
    /// The host's GPUs, ordered by PCI address.
    public let devices: [GPUDevice]

    /// Creates an inventory from devices already read.
    public init(devices: [GPUDevice]) {
        self.devices = devices.sorted { $0.address < $1.address }
    }

    /// Builds the inventory from a host's node devices and the GPUs its domains are defined with.
    ///
    /// GPUs are the PCI functions of class 0x03xxxx; other PCI devices (network cards, the GPU's own audio
    /// function) are left out. A profile's instances in use are the active mediated devices whose parent is the
    /// board; a mediated device libvirt reports as inactive (defined but not created) uses nothing.
    /// - Parameter domainHostdevs: per domain name, its GPU host devices (`DomainXML.gpuHostdevs`); PCI ones mark
    ///   the device as passed through.
    public init(nodeDevices: [NodeDevice], domainHostdevs: [String: [GPUHostdev]] = [:]) throws {
        var functions: [(name: String, function: NodeDeviceXML.PCIFunction)] = []
        var inUse: [String: [String: Int]] = [:]
        for device in nodeDevices {
            switch try NodeDeviceXML(device) {
            case .pci(let function):
                guard let pciClass = function.pciClass, GPUDevice.isDisplayController(pciClass: pciClass) else { continue }
                functions.append((device.name, function))
            case .mediated(let parent, let typeID) where device.isActive != false:
                inUse[parent, default: [:]][typeID, default: 0] += 1
            case .mediated, .other:
                continue
            }
        }
        var passthrough: [PCIAddress: [String]] = [:]
        for (domain, hostdevs) in domainHostdevs.sorted(by: { $0.key < $1.key }) {
            for case .pciPassthrough(let address) in hostdevs { passthrough[address, default: []].append(domain) }
        }
        self.init(devices: functions.map { name, function in
            let used = inUse[name] ?? [:]
            return GPUDevice(
                nodeName: name, address: function.address, pciClass: function.pciClass ?? 0,
                vendorID: function.vendorID, productID: function.productID,
                vendor: function.vendor, product: function.product,
                mediatedTypes: function.offeredTypes.map { offered in
                    MediatedDeviceType(
                        id: offered.id, name: offered.name, deviceAPI: offered.deviceAPI,
                        availableInstances: offered.available, instancesInUse: used[offered.id] ?? 0)
                },
                mediatedInUse: used.values.reduce(0, +),
                passthroughDomains: passthrough[function.address] ?? [])
        })
    }

    /// The device at `address`, if it is one of the host's GPUs.
    public func device(at address: PCIAddress) -> GPUDevice? { devices.first { $0.address == address } }
}
