import Broker
import Foundation
import Hummingbird
import SaffronAPI
import Store

/// The caller's own password, and users, groups, pool grants and brokers for admins.
extension APIHandler {
    func changeOwnPassword(_ input: Operations.ChangeOwnPassword.Input) async throws -> Operations.ChangeOwnPassword.Output {
        let caller = try RequestScope.caller
        guard case .json(let change) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        try await accounts.changeOwnPassword(
            of: try caller.requireUser(), current: change.current, new: change.new, from: caller.clientAddress)
        return .noContent(.init())
    }

    func adminUsers(_ input: Operations.AdminUsers.Input) async throws -> Operations.AdminUsers.Output {
        _ = try RequestScope.caller.requireReader()
        return .ok(.init(body: .json(.init(users: try await broker.store.users().map(Components.Schemas.User.init)))))
    }

    func addUser(_ input: Operations.AddUser.Input) async throws -> Operations.AddUser.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let new) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        let user = try await accounts.addUser(
            name: new.name, password: new.password, isAdmin: new.admin ?? false, isAuditor: new.auditor ?? false, by: admin.name)
        return .created(.init(body: .json(.init(user))))
    }

    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let change) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        let user = try await accounts.updateUser(
            named: input.path.user, isAdmin: change.admin, isAuditor: change.auditor, password: change.password, by: admin.name)
        return .ok(.init(body: .json(.init(user))))
    }

    func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        try await accounts.removeUser(named: input.path.user, by: try RequestScope.caller.requireAdmin().name)
        return .noContent(.init())
    }

    func adminGroups(_ input: Operations.AdminGroups.Input) async throws -> Operations.AdminGroups.Output {
        _ = try RequestScope.caller.requireReader()
        return .ok(.init(body: .json(.init(groups: try await broker.groups().map(Components.Schemas.Group.init)))))
    }

    func createGroup(_ input: Operations.CreateGroup.Input) async throws -> Operations.CreateGroup.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let new) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        return .created(.init(body: .json(.init(try await broker.createGroup(new.name, by: admin.name)))))
    }

    func deleteGroup(_ input: Operations.DeleteGroup.Input) async throws -> Operations.DeleteGroup.Output {
        try await broker.deleteGroup(input.path.group, by: try RequestScope.caller.requireAdmin().name)
        return .noContent(.init())
    }

    func addMember(_ input: Operations.AddMember.Input) async throws -> Operations.AddMember.Output {
        let admin = try RequestScope.caller.requireAdmin()
        try await broker.addToGroup(input.path.group, users: [input.path.user], by: admin.name)
        return .noContent(.init())
    }

    func removeMember(_ input: Operations.RemoveMember.Input) async throws -> Operations.RemoveMember.Output {
        let admin = try RequestScope.caller.requireAdmin()
        try await broker.removeFromGroup(input.path.group, users: [input.path.user], by: admin.name)
        return .noContent(.init())
    }

    func grantEveryone(_ input: Operations.GrantEveryone.Input) async throws -> Operations.GrantEveryone.Output {
        try await changeAccess(to: input.path.pool, .everyone, granting: true)
        return .noContent(.init())
    }

    func revokeEveryone(_ input: Operations.RevokeEveryone.Input) async throws -> Operations.RevokeEveryone.Output {
        try await changeAccess(to: input.path.pool, .everyone, granting: false)
        return .noContent(.init())
    }

    func grantUser(_ input: Operations.GrantUser.Input) async throws -> Operations.GrantUser.Output {
        try await changeAccess(to: input.path.pool, .user(input.path.user), granting: true)
        return .noContent(.init())
    }

    func revokeUser(_ input: Operations.RevokeUser.Input) async throws -> Operations.RevokeUser.Output {
        try await changeAccess(to: input.path.pool, .user(input.path.user), granting: false)
        return .noContent(.init())
    }

    func grantGroup(_ input: Operations.GrantGroup.Input) async throws -> Operations.GrantGroup.Output {
        try await changeAccess(to: input.path.pool, .group(input.path.group), granting: true)
        return .noContent(.init())
    }

    func revokeGroup(_ input: Operations.RevokeGroup.Input) async throws -> Operations.RevokeGroup.Output {
        try await changeAccess(to: input.path.pool, .group(input.path.group), granting: false)
        return .noContent(.init())
    }

    /// Grants `grant` the pool, or takes it back, as an admin.
    private func changeAccess(to pool: String, _ grant: PoolGrant, granting: Bool) async throws {
        let admin = try RequestScope.caller.requireAdmin()
        if granting {
            try await broker.grant(pool, to: grant, by: admin.name)
        } else {
            try await broker.revoke(pool, from: grant, by: admin.name)
        }
    }

    func adminNodes(_ input: Operations.AdminNodes.Input) async throws -> Operations.AdminNodes.Output {
        _ = try RequestScope.caller.requireReader()
        return .ok(.init(body: .json(.init(nodes: try await broker.nodes().map(Components.Schemas.Node.init)))))
    }
}

extension Components.Schemas.User {
    /// A user as admins see it; `local` says whether the user has a password of the broker's own.
    init(_ user: UserRecord) {
        self.init(
            name: user.name, admin: user.isAdmin, local: user.passwordHash.hasPrefix("$2"), createdAt: user.createdAt,
            auditor: user.isAuditor)
    }
}

extension Components.Schemas.Group {
    init(_ group: GroupRecord) {
        self.init(name: group.name, members: group.members, createdAt: group.createdAt)
    }
}

extension Components.Schemas.Node {
    init(_ node: NodeStatus) {
        self.init(
            name: node.name, publicAddress: node.publicAddress, portRange: node.portRange,
            forwardedSessions: node.forwardedSessions, startedAt: node.startedAt, lastSeen: node.lastSeen, isUp: node.isUp,
            keptPools: node.keptPools, roles: node.roles.compactMap(Components.Schemas.NodeRole.init(rawValue:)))
    }
}
