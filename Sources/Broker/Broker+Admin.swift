import Foundation
import Store

/// A VM of a pool as admins see it: free, or held by a session.
public struct PoolVMView: Sendable, Equatable {
    public var name: String
    public var session: SessionRecord?
}

/// A pool with each of its VMs, for admins.
public struct PoolView: Sendable, Equatable {
    public var pool: PoolRecord
    public var vms: [PoolVMView]
}

extension Broker {
    /// Every pool with its VMs and who holds them; admins only.
    public func poolViews(requestedBy user: UserRecord) async throws -> [PoolView] {
        try Self.requireAdmin(user)
        let sessions = try await store.sessions()
        var views: [PoolView] = []
        for summary in try await store.poolSummaries() {
            let vms = try await store.vms(inPool: summary.pool.name).map { vm in
                PoolVMView(name: vm.name, session: sessions.first { $0.pool == vm.pool && $0.vm == vm.name })
            }
            views.append(PoolView(pool: summary.pool, vms: vms))
        }
        return views
    }

    static func requireAdmin(_ user: UserRecord) throws {
        guard user.isAdmin else {
            throw BrokerError(code: "forbidden", message: "Only admins may do this.", httpStatus: 403)
        }
    }
}
