import Foundation
import Store

extension Broker {
    /// The pools `user` may use, with their VMs and free VMs: those granted to everyone, to them or to one of their
    /// groups; every pool for an admin.
    public func pools(visibleTo user: UserRecord) async throws -> [PoolSummary] {
        let all = try await store.poolSummaries()
        guard !user.isAdmin else { return all }
        let entitled = try await store.entitledPools(ofUser: user.name)
        return all.filter { entitled.contains($0.pool.name) }
    }

    /// Throws `not_entitled` (403) unless `user` may use `pool` (admins may use every pool).
    func requireEntitled(_ user: UserRecord, to pool: String) async throws {
        guard !user.isAdmin else { return }
        guard try await store.entitledPools(ofUser: user.name).contains(pool) else {
            guard try await store.pool(named: pool) != nil else { throw BrokerError(StoreError.poolNotFound(pool)) }
            throw BrokerError(.notEntitled, "Pool \(pool) is not granted to you. Ask an admin to grant it to you or to one of your groups.")
        }
    }

    /// Grants a pool to everyone, a user or a group's members.
    public func grant(_ pool: String, to grant: PoolGrant, by actor: String = AuditLog.cliActor) async throws {
        try await BrokerError.mapping { try await store.grantPool(pool, to: grant) }
        await audit.record(.poolGrant, by: actor, subject: pool, "granted to \(grant)")
    }

    /// Withdraws a grant; `grant_not_found` (404) when the pool had no such grant. Live sessions stay.
    public func revoke(_ pool: String, from grant: PoolGrant, by actor: String = AuditLog.cliActor) async throws {
        guard try await BrokerError.mapping({ try await store.revokePool(pool, from: grant) }) else {
            throw BrokerError(.grantNotFound, "Pool \(pool) is not granted to \(grant).")
        }
        await audit.record(.poolRevoke, by: actor, subject: pool, "no longer granted to \(grant)")
    }

    /// Each pool's grants, by pool name.
    public func poolGrants() async throws -> [String: [PoolGrant]] {
        try await store.poolGrants()
    }

    /// Creates an empty group.
    @discardableResult
    public func createGroup(_ name: String, by actor: String = AuditLog.cliActor, now: Date = Date()) async throws -> GroupRecord {
        try Names.validate(name, kind: "group name")
        try await BrokerError.mapping { try await store.addGroup(named: name, now: now) }
        await audit.record(.groupCreate, by: actor, subject: name, now: now)
        return GroupRecord(name: name, members: [], createdAt: now)
    }

    /// Deletes a group; its members lose the pools granted through it.
    public func deleteGroup(_ name: String, by actor: String = AuditLog.cliActor) async throws {
        try await BrokerError.mapping { try await store.deleteGroup(named: name) }
        await audit.record(.groupDelete, by: actor, subject: name)
    }

    /// Adds users to a group; all or none.
    public func addToGroup(_ group: String, users: [String], by actor: String = AuditLog.cliActor) async throws {
        guard !users.isEmpty else { throw BrokerError.badRequest("Name at least one user to add.") }
        try await BrokerError.mapping { try await store.addMembers(users, toGroup: group) }
        await audit.record(.groupUpdate, by: actor, subject: group, "added \(users.joined(separator: ", "))")
    }

    /// Takes users out of a group.
    public func removeFromGroup(_ group: String, users: [String], by actor: String = AuditLog.cliActor) async throws {
        guard !users.isEmpty else { throw BrokerError.badRequest("Name at least one user to remove.") }
        try await BrokerError.mapping { try await store.removeMembers(users, fromGroup: group) }
        await audit.record(.groupUpdate, by: actor, subject: group, "removed \(users.joined(separator: ", "))")
    }

    /// Every group with its members.
    public func groups() async throws -> [GroupRecord] {
        try await store.groups()
    }
}
