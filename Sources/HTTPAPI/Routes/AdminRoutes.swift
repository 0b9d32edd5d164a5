import Broker
import Foundation
import Hummingbird
import Store

/// `GET /me` and `PUT /me/password` for every user, and the admin views under `/admin`.
struct AdminRoutes {
    let broker: Broker
    let accounts: Accounts

    /// `PUT /me/password` body.
    struct PasswordChange: Decodable {
        static let keys: Set<String> = ["current", "new"]
        let current: String
        let new: String
    }

    struct Me: Encodable {
        let name: String
        let admin: Bool
        /// May read the admin views, and change nothing.
        let auditor: Bool
    }

    struct PoolPayload: Encodable {
        struct VM: Encodable {
            let name: String
            /// Whether the VM exists in libvirt (false for a template pool's VM not created yet, or reset).
            let created: Bool
            /// The user a persistent desktop belongs to.
            let owner: String?
            /// Waiting for its reset before anyone gets it again.
            let resetting: Bool
            /// Why the broker stopped handing it out; null for a healthy VM.
            let broken: String?
            /// Whether the hypervisor runs it now (so it has a screen to show); null when the hypervisor did not answer.
            let running: Bool?
            /// The session holding the VM, as `GET /sessions/{id}` shows it.
            let session: SessionPayload?
            /// The libvirt connection URI of the host the VM lives on; null for a template pool's VM not created yet.
            let host: String?

            /// Absent values say so with `null` rather than leaving the key out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(created, forKey: .created)
                try container.encode(owner, forKey: .owner)
                try container.encode(resetting, forKey: .resetting)
                try container.encode(broken, forKey: .broken)
                try container.encode(running, forKey: .running)
                try container.encode(session, forKey: .session)
                try container.encode(host, forKey: .host)
            }

            private enum CodingKeys: String, CodingKey { case name, created, owner, resetting, broken, running, session, host }
        }
        let name: String
        /// The pool's first host.
        let connect: String
        /// Every host of the pool, its first one first.
        let hosts: [String]
        let desktops: String
        /// For template pools: how many VMs the pool may create; null for pools of existing VMs.
        let maxVMs: Int?
        let freeVMs: Int
        /// `everyone`, `user:NAME`, `group:NAME`; empty: admins only.
        let access: [String]
        let policy: PoolPolicy
        let vms: [VM]

        init(_ view: PoolView, broker: Broker) {
            name = view.pool.name
            connect = view.pool.connectURI
            hosts = view.pool.connectURIs
            desktops = view.pool.desktopMode.rawValue
            maxVMs = view.pool.template?.maxVMs
            freeVMs = view.freeVMCount
            access = view.access.map(\.description)
            policy = view.pool.policy
            vms = view.vms.map { vm in
                let presence = broker.presence(ofVM: vm.record, in: view.pool)
                return VM(
                    name: vm.name, created: vm.record.isProvisioned, owner: vm.record.assignedUser,
                    resetting: vm.record.needsReset, broken: vm.record.brokenReason, running: vm.running,
                    session: vm.session.map {
                        SessionPayload($0, publicAddress: broker.settings.publicAddress, presence: presence)
                    },
                    host: vm.record.isProvisioned || view.pool.template == nil
                        ? vm.record.connectURI ?? view.pool.connectURI : nil)
            }
        }
    }

    private static func poolAndVM(_ context: SaffronRequestContext) throws -> (String, String) {
        (try context.pathParameter("pool"), try context.pathParameter("vm"))
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("me") { _, context in
            let user = try context.requireUser()
            return JSONResponse.make(status: .ok, Me(name: user.name, admin: user.isAdmin, auditor: user.isAuditor))
        }
        group.put("me/password") { request, context in
            let user = try context.requireUser()
            let change = try await StrictJSON.decode(PasswordChange.self, allowedKeys: PasswordChange.keys, from: request, context: context)
            try await accounts.changeOwnPassword(of: user, current: change.current, new: change.new, from: context.clientAddress)
            return Response(status: .noContent)
        }
        group.get("admin/pools") { _, context in
            let views = try await broker.poolViews(requestedBy: try context.requireUser())
            return JSONResponse.make(status: .ok, ["pools": views.map { PoolPayload($0, broker: broker) }])
        }
        group.post("admin/pools/:pool/vms/:vm/repair") { _, context in
            let (pool, vm) = try Self.poolAndVM(context)
            try await broker.repair(vm: vm, inPool: pool, requestedBy: try context.requireUser())
            return Response(status: .noContent)
        }
        group.post("admin/pools/:pool/vms/:vm/unassign") { _, context in
            let (pool, vm) = try Self.poolAndVM(context)
            try await broker.unassign(vm: vm, inPool: pool, requestedBy: try context.requireUser())
            return Response(status: .noContent)
        }
    }
}
