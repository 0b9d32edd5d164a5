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

        /// Creates a profile's view from its parts.
        public init(
            type: String, name: String?, framebufferMiB: Int?, deviceAPI: String, maxPerBoard: Int, inUse: Int, available: Int
        ) {
            self.type = type
            self.name = name
            self.framebufferMiB = framebufferMiB
            self.deviceAPI = deviceAPI
            self.maxPerBoard = maxPerBoard
            self.inUse = inUse
            self.available = available
        }
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

    /// Creates a view from its parts; the hypervisor backend builds it from what the host reports.
    public init(
        address: String, nodeName: String, vendor: String?, product: String?, pciClass: String, profiles: [Profile],
        vgpusInUse: Int, passthroughDomains: [String], freeForPassthrough: Bool
    ) {
        self.address = address
        self.nodeName = nodeName
        self.vendor = vendor
        self.product = product
        self.pciClass = pciClass
        self.profiles = profiles
        self.vgpusInUse = vgpusInUse
        self.passthroughDomains = passthroughDomains
        self.freeForPassthrough = freeForPassthrough
    }
}

extension Broker {
    /// The GPU boards of a host some pool lives on; `404 host_not_found` for any other connection, so that the API
    /// never makes the broker open a libvirt connection of a caller's choosing.
    public func gpuBoards(on connect: String) async throws -> [GPUBoardView] {
        guard try await store.pools().contains(where: { $0.connectURIs.contains(connect) }) else {
            throw BrokerError(.hostNotFound, "No pool lives on \(connect); GET /api/v1/admin/hosts lists the hosts whose GPUs can be shown.")
        }
        try settings.connectURIs.check(connect)
        return try await hypervisor.gpuBoards(on: connect)
    }
}
