import Libvirt

extension GPUInventory {
    /// Reads the GPU inventory of the host behind `connectURI` on a connection of its own; see `read(from:)`.
    public static func read(connectURI: String) async throws -> GPUInventory {
        let connection = try await LibvirtConnection.open(connectURI)
        defer { connection.close() }
        return try await read(from: connection)
    }

    /// Reads the host's node devices and every domain's GPU host devices, and builds the inventory from them.
    ///
    /// A domain that disappears between listing and reading is skipped. Each domain's current XML is read: the
    /// live one for a running domain, the persistent one otherwise.
    public static func read(from connection: LibvirtConnection) async throws -> GPUInventory {
        let nodeDevices = try await connection.nodeDevices()
        var hostdevs: [String: [GPUHostdev]] = [:]
        for domain in try await connection.domains() {
            let xml: String
            do {
                xml = try await connection.xml(ofDomain: domain.name)
            } catch let error as LibvirtError where error.isNotFound {
                continue
            }
            hostdevs[domain.name] = try DomainXML.gpuHostdevs(inDomainXML: xml)
        }
        return try GPUInventory(nodeDevices: nodeDevices, domainHostdevs: hostdevs)
    }
}
