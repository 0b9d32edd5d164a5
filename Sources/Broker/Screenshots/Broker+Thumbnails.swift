import Foundation
import Logging
import Store
import Thumbnail

extension Broker {
    /// How wide, in pixels, the thumbnails of `thumbnail(ofVM:inPool:requestedBy:)` are at most.
    public static let thumbnailWidth = 320

    /// A PNG at most `thumbnailWidth` pixels wide of what a VM's screen shows now, for the admin page; admins and auditors only.
    ///
    /// Throws `forbidden` (403) for others, `pool_not_found` / `vm_not_found` (404), `vm_not_running` (409) for a
    /// VM that is off, paused or not created yet, and `hypervisor_error` (502) when the screenshot cannot be taken or
    /// read. Decoding and shrinking run off the cooperative pool.
    public func thumbnail(ofVM vm: String, inPool poolName: String, requestedBy user: UserRecord) async throws -> [UInt8] {
        try Self.requireReader(user)
        guard let pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard let record = try await store.vm(named: vm, inPool: poolName) else {
            throw BrokerError.vmNotInPool(vm, pool: poolName)
        }
        guard record.isProvisioned else { throw BrokerError.vmNotRunning(vm) }
        let shot = try await hypervisor.screenshot(of: Self.ref(record, of: pool))
        let made = await Blocking.run {
            Result { try Thumbnail.png(of: shot.bytes, mimeType: shot.mimeType, maxWidth: Self.thumbnailWidth) }
        }
        do {
            return try made.get()
        } catch {
            logger.error("the screenshot of \(vm) of pool \(poolName) (\(shot.mimeType), \(shot.bytes.count) bytes) is unreadable: \(error)")
            throw BrokerError.hypervisor("The screenshot of VM \(vm) could not be read: \(error).")
        }
    }
}
