import Foundation
import Store

extension Broker {
    /// Creates an empty pool whose VMs live on the libvirt connection `connectURI`.
    @discardableResult
    public func createPool(name: String, connectURI: String, now: Date = Date()) async throws -> PoolRecord {
        try Names.validate(name, kind: "pool name")
        guard !connectURI.isEmpty else { throw BrokerError.badRequest("A pool needs a libvirt connection URI (--connect).") }
        let pool = PoolRecord(name: name, connectURI: connectURI, createdAt: now)
        try await BrokerError.mapping { try await store.addPool(pool) }
        return pool
    }

    /// Adds existing libvirt domains to a pool, first making each fit (SPICE ticketing locked); all or none are added.
    public func addVMs(_ names: [String], toPool poolName: String, now: Date = Date()) async throws {
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard !names.isEmpty else { throw BrokerError.badRequest("Name at least one VM to add.") }
        for name in names {
            try await hypervisor.prepareForPool(VMRef(connectURI: pool.connectURI, domain: name))
        }
        try await BrokerError.mapping { try await store.addVMs(names, toPool: poolName, now: now) }
    }
}
