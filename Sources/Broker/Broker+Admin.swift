import Foundation
import Store

/// A VM of a pool as admins see it: its record (owner, reset, health), and the session holding it if any.
public struct PoolVMView: Sendable, Equatable {
    public var name: String { record.name }
    public var record: VMRecord
    public var session: SessionRecord?
    /// Whether the hypervisor runs the VM now; nil when it could not be asked.
    public var running: Bool?
}

/// A pool with each of its VMs, for admins.
public struct PoolView: Sendable, Equatable {
    public var pool: PoolRecord
    public var vms: [PoolVMView]
    /// Desktops a new user could get now (see `PoolSummary.freeVMCount`).
    public var freeVMCount: Int
    /// Who may use the pool besides admins; empty: admins only.
    public var access: [PoolGrant] = []
}

extension Broker {
    /// Every pool with its VMs, who holds them and whether they run; admins and auditors only. A hypervisor that does not answer
    /// leaves its VMs' `running` unknown rather than failing the view. With `name`, only that pool (none if unknown),
    /// asking only its hypervisor.
    public func poolViews(requestedBy user: UserRecord, named name: String? = nil) async throws -> [PoolView] {
        try Self.requireReader(user)
        let sessions = try await store.sessions()
        let grants = try await store.poolGrants()
        var views: [PoolView] = []
        var censuses: [String: Result<DomainCensus, BrokerError>] = [:]  // one per host, however many pools share it
        for summary in try await store.poolSummaries() where name == nil || summary.pool.name == name {
            let census = await self.census(of: summary.pool, known: &censuses)
            let vms = try await store.vms(inPool: summary.pool.name).map { vm in
                PoolVMView(
                    record: vm, session: sessions.first { $0.pool == vm.pool && $0.vm == vm.name },
                    running: census.knows(vm, of: summary.pool) ? census.domains.running.contains(vm.name) : nil)
            }
            views.append(
                PoolView(pool: summary.pool, vms: vms, freeVMCount: summary.freeVMCount, access: grants[summary.pool.name] ?? []))
        }
        return views
    }

    /// `repair(vm:inPool:)` for an admin of the HTTP API.
    public func repair(vm: String, inPool pool: String, requestedBy user: UserRecord) async throws {
        try Self.requireAdmin(user)
        try await repair(vm: vm, inPool: pool, by: user.name)
    }

    /// `unassign(vm:inPool:)` for an admin of the HTTP API.
    public func unassign(vm: String, inPool pool: String, requestedBy user: UserRecord) async throws {
        try Self.requireAdmin(user)
        try await unassign(vm: vm, inPool: pool, by: user.name)
    }

    /// Throws `forbidden` (403) unless `user` is an admin.
    public static func requireAdmin(_ user: UserRecord) throws {
        guard user.isAdmin else {
            throw BrokerError(.forbidden, user.isAuditor ? "Auditors may look, not change: only admins may do this." : "Only admins may do this.")
        }
    }

    /// Throws `forbidden` (403) unless `user` may read what admins read: an admin or an auditor.
    public static func requireReader(_ user: UserRecord) throws {
        guard user.isAdmin || user.isAuditor else {
            throw BrokerError(.forbidden, "Only admins and auditors may see this.")
        }
    }
}
