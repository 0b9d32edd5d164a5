import Broker
import Foundation

extension GPUBoardView {
    /// The admin's view of a board as the inventory read it.
    public init(_ device: GPUDevice) {
        self.init(
            address: "\(device.address)", nodeName: device.nodeName, vendor: device.vendor, product: device.product,
            pciClass: String(format: "0x%06x", device.pciClass),
            profiles: device.mediatedTypes.map {
                Profile(
                    type: $0.id, name: $0.name, framebufferMiB: $0.framebufferMiB, deviceAPI: $0.deviceAPI,
                    maxPerBoard: $0.maxInstances, inUse: $0.instancesInUse, available: $0.availableInstances)
            },
            vgpusInUse: device.mediatedInUse, passthroughDomains: device.passthroughDomains,
            freeForPassthrough: device.isFreeForPassthrough)
    }
}
