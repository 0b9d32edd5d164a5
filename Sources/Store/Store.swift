import Foundation

/// Everything the broker keeps, one repository per aggregate (`Repositories/`): accounts, access to pools, pools and
/// VMs, sessions with their port leases, the audit log, and the brokers sharing the store.
///
/// Backends (SQLite, PostgreSQL) implement whole domain operations, so that each one is a single transaction and no
/// SQL dialect leaks above these protocols.
public protocol Store: AccountRepository, AccessRepository, PoolRepository, SessionRepository, AuditRepository,
    ClusterRepository
{
    /// Waits until the store can be used (its database reached, its schema current); throws why not. Operations
    /// wait for it on their own; callers use it to fail at start rather than at the first request.
    func prepare() async throws

    // MARK: Moving between backends
    /// Everything the store holds, read in one transaction.
    func snapshot() async throws -> StoreSnapshot
    /// Writes `snapshot` into this store in one transaction: all or nothing. Throws `notEmpty` unless the store
    /// holds no user, pool, group or session.
    func restore(_ snapshot: StoreSnapshot) async throws
}

extension Store {
    public func prepare() async throws {}
}
