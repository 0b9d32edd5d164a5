internal import CLibvirt

extension LibvirtConnection {
    /// The host's free memory in bytes, as libvirt reports it (`virNodeGetFreeMemory`): what new VMs may take.
    public func freeMemory() async throws -> UInt64 {
        try await perform { connection in
            let bytes = virNodeGetFreeMemory(connection)
            guard bytes > 0 else { throw LibvirtError.last(connection: connection, operation: "virNodeGetFreeMemory") }
            return UInt64(bytes)
        }
    }
}
