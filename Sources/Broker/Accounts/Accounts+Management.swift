import Foundation
import Store

extension Accounts {
    /// Makes a user an admin or an auditor or neither, and/or gives them a new local password (which signs them out
    /// everywhere). Taking one role leaves the other unless the call says otherwise: an auditor made an admin is no
    /// longer an auditor.
    ///
    /// The last admin cannot be demoted: someone must be left to run the broker.
    @discardableResult
    public func updateUser(
        named name: String, isAdmin: Bool? = nil, isAuditor: Bool? = nil, password: String? = nil,
        by actor: String = AuditLog.cliActor
    ) async throws -> UserRecord {
        guard isAdmin != nil || isAuditor != nil || password != nil else {
            throw BrokerError.badRequest("Say what to change: the admin or auditor role, the password.")
        }
        guard let user = try await store.user(named: name) else { throw BrokerError(StoreError.userNotFound(name)) }
        var (isAdmin, isAuditor) = (isAdmin, isAuditor)
        if isAdmin == true, isAuditor == nil, user.isAuditor { isAuditor = false }
        if isAuditor == true, isAdmin == nil, user.isAdmin { isAdmin = false }
        try Self.checkRoles(isAdmin: isAdmin ?? user.isAdmin, isAuditor: isAuditor ?? user.isAuditor)
        if isAdmin == false, user.isAdmin { try await requireAnotherAdmin(than: name) }
        var hash: String?
        if let password { hash = try await passwordHash(password) }
        try await BrokerError.mapping {
            try await store.updateUser(named: name, isAdmin: isAdmin, isAuditor: isAuditor, passwordHash: hash)
        }
        var changes: [String] = []
        if let isAdmin, isAdmin != user.isAdmin { changes.append(isAdmin ? "made an admin" : "no longer an admin") }
        if let isAuditor, isAuditor != user.isAuditor { changes.append(isAuditor ? "made an auditor" : "no longer an auditor") }
        if password != nil { changes.append("new password") }
        await audit.record(.userUpdate, by: actor, subject: name, changes.joined(separator: ", "))
        return try await store.user(named: name) ?? user
    }

    /// Deletes a user with their sign-ins, group memberships and grants; their persistent desktops lose their owner
    /// (see `saffron pool vms`). Refused while they hold a session, and for the last admin.
    public func removeUser(named name: String, by actor: String = AuditLog.cliActor) async throws {
        guard let user = try await store.user(named: name) else { throw BrokerError(StoreError.userNotFound(name)) }
        if user.isAdmin { try await requireAnotherAdmin(than: name) }
        try await BrokerError.mapping { try await store.deleteUser(named: name) }
        await audit.record(.userRemove, by: actor, subject: name, user.describedRole)
    }

    /// A user is an admin, an auditor, or neither; not both.
    static func checkRoles(isAdmin: Bool, isAuditor: Bool) throws {
        if isAdmin && isAuditor {
            throw BrokerError.badRequest("A user is an admin or an auditor, not both: admins read everything auditors read.")
        }
    }

    private func requireAnotherAdmin(than name: String) async throws {
        guard try await store.users().contains(where: { $0.isAdmin && $0.name != name }) else {
            throw BrokerError(.lastAdmin, "\(name) is the only admin; make another user an admin first (saffron user set NAME --admin).")
        }
    }
}

extension UserRecord {
    /// `admin`, `auditor` or `user`, for people and the API.
    public var role: String { isAdmin ? "admin" : isAuditor ? "auditor" : "user" }

    /// `an admin`, `an auditor` or `a user`.
    var describedRole: String { isAdmin || isAuditor ? "an \(role)" : "a user" }
}
