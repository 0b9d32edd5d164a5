import Foundation
import Store

/// A GPU board as admins see it (`saffron gpu list`, `GET /api/v1/admin/hosts/gpus`): its vGPU profiles with users per
/// board, in use and available, and whether the whole board is free to pass through.
public struct GPUBoardView: Sendable, Codable, Equatable {
    /// One vGPU profile (mediated device type) of the board.
    public struct Profile: Sendable, Codable, Equatable {
        public let type: String
        public let name: String?
        public let framebufferMiB: Int?
        public let deviceAPI: String
        public let maxPerBoard: Int
        public let inUse: Int
        public let available: Int
    }

    public let address: String
    public let nodeName: String
    public let vendor: String?
    public let product: String?
    public let pciClass: String
    public let profiles: [Profile]
    public let vgpusInUse: Int
    public let passthroughDomains: [String]
    public let freeForPassthrough: Bool

    public init(_ device: GPUDevice) {
        address = "\(device.address)"
        nodeName = device.nodeName
        vendor = device.vendor
        product = device.product
        pciClass = String(format: "0x%06x", device.pciClass)
        profiles = device.mediatedTypes.map {
            Profile(
                type: $0.id, name: $0.name, framebufferMiB: $0.framebufferMiB, deviceAPI: $0.deviceAPI,
                maxPerBoard: $0.maxInstances, inUse: $0.instancesInUse, available: $0.availableInstances)
        }
        vgpusInUse = device.mediatedInUse
        passthroughDomains = device.passthroughDomains
        freeForPassthrough = device.isFreeForPassthrough
    }
}

extension Broker {
    /// The GPU boards of a host some pool lives on; `404 host_not_found` for any other connection, so that the API
    /// never makes the broker open a libvirt connection of a caller's choosing.
    public func gpuBoards(on connect: String) async throws -> [GPUBoardView] {
        guard try await store.pools().contains(where: { $0.connectURIs.contains(connect) }) else {
            throw BrokerError(
                code: "host_not_found",
                message: "No pool lives on \(connect); GET /api/v1/admin/hosts lists the hosts whose GPUs can be shown.",
                httpStatus: 404)
        }
        try settings.connectURIs.check(connect)
        return try await GPUInventory.read(connectURI: connect).devices.map(GPUBoardView.init)
    }
}
