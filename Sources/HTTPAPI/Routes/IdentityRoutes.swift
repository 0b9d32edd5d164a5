import Broker
import Foundation
import Hummingbird
import Store

/// Users, groups and pool grants for admins under `/admin`, as `saffron user`, `saffron group` and `saffron pool
/// grant|revoke` do them.
struct IdentityRoutes {
    let broker: Broker
    let accounts: Accounts

    struct UserPayload: Encodable {
        let name: String
        let admin: Bool
        /// May read what admins read, and change nothing.
        let auditor: Bool
        /// Whether the user has a local password (false for users made at their first PAM login).
        let local: Bool
        let createdAt: Date

        init(_ user: UserRecord) {
            name = user.name
            admin = user.isAdmin
            auditor = user.isAuditor
            local = user.passwordHash.hasPrefix("$2")
            createdAt = user.createdAt
        }
    }

    struct NewUser: Decodable {
        static let keys: Set<String> = ["name", "password", "admin", "auditor"]
        let name: String
        let password: String
        let admin: Bool?
        let auditor: Bool?
    }

    struct UserChange: Decodable {
        static let keys: Set<String> = ["admin", "auditor", "password"]
        let admin: Bool?
        let auditor: Bool?
        let password: String?
    }

    struct NewGroup: Decodable {
        static let keys: Set<String> = ["name"]
        let name: String
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("admin/users") { _, context in
            _ = try context.requireReader()
            let users = try await broker.store.users().map(UserPayload.init)
            return JSONResponse.make(status: .ok, ["users": users])
        }
        group.post("admin/users") { request, context in
            let admin = try context.requireAdmin()
            let new = try await StrictJSON.decode(NewUser.self, allowedKeys: NewUser.keys, from: request, context: context)
            let user = try await accounts.addUser(
                name: new.name, password: new.password, isAdmin: new.admin ?? false, isAuditor: new.auditor ?? false, by: admin.name)
            return JSONResponse.make(status: .created, UserPayload(user))
        }
        group.patch("admin/users/:user") { request, context in
            let admin = try context.requireAdmin()
            let change = try await StrictJSON.decode(UserChange.self, allowedKeys: UserChange.keys, from: request, context: context)
            let user = try await accounts.updateUser(
                named: try context.pathParameter("user"), isAdmin: change.admin, isAuditor: change.auditor, password: change.password,
                by: admin.name)
            return JSONResponse.make(status: .ok, UserPayload(user))
        }
        group.delete("admin/users/:user") { _, context in
            let admin = try context.requireAdmin()
            try await accounts.removeUser(named: try context.pathParameter("user"), by: admin.name)
            return Response(status: .noContent)
        }
        group.get("admin/nodes") { _, context in
            _ = try context.requireReader()
            return JSONResponse.make(status: .ok, ["nodes": try await broker.nodes()])
        }
        group.get("admin/groups") { _, context in
            _ = try context.requireReader()
            return JSONResponse.make(status: .ok, ["groups": try await broker.groups()])
        }
        group.post("admin/groups") { request, context in
            let admin = try context.requireAdmin()
            let new = try await StrictJSON.decode(NewGroup.self, allowedKeys: NewGroup.keys, from: request, context: context)
            return JSONResponse.make(status: .created, try await broker.createGroup(new.name, by: admin.name))
        }
        group.delete("admin/groups/:group") { _, context in
            try await broker.deleteGroup(try context.pathParameter("group"), by: try context.requireAdmin().name)
            return Response(status: .noContent)
        }
        group.put("admin/groups/:group/members/:user") { _, context in
            let admin = try context.requireAdmin()
            try await broker.addToGroup(try context.pathParameter("group"), users: [try context.pathParameter("user")], by: admin.name)
            return Response(status: .noContent)
        }
        group.delete("admin/groups/:group/members/:user") { _, context in
            let admin = try context.requireAdmin()
            try await broker.removeFromGroup(
                try context.pathParameter("group"), users: [try context.pathParameter("user")], by: admin.name)
            return Response(status: .noContent)
        }
        for (path, grant) in Self.grantPaths {
            group.put("admin/pools/:pool/grants/\(path)") { _, context in
                let admin = try context.requireAdmin()
                try await broker.grant(try context.pathParameter("pool"), to: try grant(context), by: admin.name)
                return Response(status: .noContent)
            }
            group.delete("admin/pools/:pool/grants/\(path)") { _, context in
                let admin = try context.requireAdmin()
                try await broker.revoke(try context.pathParameter("pool"), from: try grant(context), by: admin.name)
                return Response(status: .noContent)
            }
        }
    }

    /// The grant each path names.
    private static let grantPaths: [(String, @Sendable (SaffronRequestContext) throws -> PoolGrant)] = [
        ("everyone", { _ in .everyone }),
        ("users/:user", { .user(try $0.pathParameter("user")) }),
        ("groups/:group", { .group(try $0.pathParameter("group")) }),
    ]
}
