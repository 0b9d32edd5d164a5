import Broker
import Foundation
import Hummingbird
import Store

/// Pools and their VMs for admins under `/admin/pools`, as `saffron pool create|delete|set|add-vm|remove-vm` do them.
struct PoolAdminRoutes {
    let broker: Broker

    /// `POST /admin/pools` body: a pool of existing VMs, or with `template` one the broker makes VMs for; on the host
    /// `connect`, or the hosts `hosts` (the first first).
    struct NewPool: Decodable {
        static let keys: Set<String> = ["name", "connect", "hosts", "desktops", "private", "policy", "template"]
        let name: String
        let connect: String?
        let hosts: [String]?
        let desktops: DesktopMode?
        let `private`: Bool?
        let policy: PolicyPatch?
        let template: Template?

        struct Template: Decodable {
            let domainXML: String
            let baseImage: String
            let storagePool: String?
            let maxVMs: Int?
            /// `passthrough` or `vgpu:TYPE`.
            let gpu: String?
            let hideHypervisor: Bool?
            let hypervVendorID: String?

            func poolTemplate() throws -> PoolTemplate {
                var template = PoolTemplate(
                    domainXML: domainXML, baseImage: baseImage, storagePool: storagePool ?? "default", maxVMs: maxVMs ?? 10)
                if let gpu {
                    guard let parsed = TemplateGPU(argument: gpu) else {
                        throw BrokerError.badRequest("template.gpu must be passthrough or vgpu:TYPE, not \(gpu.debugDescription).")
                    }
                    template.gpu = parsed
                }
                template.hideHypervisor = hideHypervisor ?? false
                template.hypervVendorID = hypervVendorID
                return template
            }
        }
    }

    /// `POST /admin/pools/{pool}/hosts` body: another libvirt host for the pool.
    struct NewHost: Decodable {
        static let keys: Set<String> = ["connect"]
        let connect: String
    }

    /// `POST /admin/pools/{pool}/vms` body: existing libvirt domains to add.
    struct NewVMs: Decodable {
        static let keys: Set<String> = ["vms"]
        let vms: [String]
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.post("admin/pools") { request, context in
            let admin = try context.requireAdmin()
            let new = try await StrictJSON.decode(NewPool.self, allowedKeys: NewPool.keys, from: request, context: context)
            var policy = PoolPolicy()
            new.policy?.apply(to: &policy)
            let access: [PoolGrant] = new.private == true ? [] : [.everyone]
            let hosts: [String]
            switch (new.connect, new.hosts) {
            case (let connect?, nil): hosts = [connect]
            case (nil, let list?) where !list.isEmpty: hosts = list
            default: throw BrokerError.badRequest("Give the pool's host as connect, or its hosts as a non-empty hosts list, not both.")
            }
            if let template = new.template {
                _ = try await broker.createTemplatePool(
                    name: new.name, connectURI: hosts[0], otherConnectURIs: Array(hosts.dropFirst()),
                    desktopMode: new.desktops ?? .volatile, template: try template.poolTemplate(), policy: policy, access: access,
                    by: admin.name)
            } else {
                _ = try await broker.createPool(
                    name: new.name, connectURI: hosts[0], otherConnectURIs: Array(hosts.dropFirst()),
                    desktopMode: new.desktops ?? .pooled, policy: policy, access: access, by: admin.name)
            }
            return JSONResponse.make(status: .created, try await pool(new.name, readBy: admin))
        }
        group.get("admin/pools/:pool") { _, context in
            let reader = try context.requireReader()
            return JSONResponse.make(status: .ok, try await pool(try context.pathParameter("pool"), readBy: reader))
        }
        group.delete("admin/pools/:pool") { request, context in
            let admin = try context.requireAdmin()
            let discardOwned = try request.flag("discardOwned")
            try await broker.deletePool(named: try context.pathParameter("pool"), discardingOwned: discardOwned, by: admin.name)
            return Response(status: .noContent)
        }
        group.patch("admin/pools/:pool/policy") { request, context in
            let admin = try context.requireAdmin()
            let patch = try await StrictJSON.decode(PolicyPatch.self, allowedKeys: PolicyPatch.keys, from: request, context: context)
            guard !patch.isEmpty else { throw BrokerError.badRequest("Name at least one policy field to change.") }
            let policy = try await broker.updatePolicy(ofPool: try context.pathParameter("pool"), by: admin.name) {
                patch.apply(to: &$0)
            }
            return JSONResponse.make(status: .ok, policy)
        }
        group.post("admin/pools/:pool/hosts") { request, context in
            let admin = try context.requireAdmin()
            let new = try await StrictJSON.decode(NewHost.self, allowedKeys: NewHost.keys, from: request, context: context)
            let name = try context.pathParameter("pool")
            try await broker.addHost(new.connect, toPool: name, by: admin.name)
            return JSONResponse.make(status: .ok, try await pool(name, readBy: admin))
        }
        group.delete("admin/pools/:pool/hosts") { request, context in
            let admin = try context.requireAdmin()
            guard let host = request.uri.queryParameters.get("connect"), !host.isEmpty else {
                throw BrokerError.badRequest("Name the host to remove: ?connect=URI (percent-encoded).")
            }
            let name = try context.pathParameter("pool")
            try await broker.removeHost(host, fromPool: name, gone: try request.flag("gone"), by: admin.name)
            return JSONResponse.make(status: .ok, try await pool(name, readBy: admin))
        }
        group.post("admin/pools/:pool/vms") { request, context in
            let admin = try context.requireAdmin()
            let new = try await StrictJSON.decode(NewVMs.self, allowedKeys: NewVMs.keys, from: request, context: context)
            let name = try context.pathParameter("pool")
            try await broker.addVMs(new.vms, toPool: name, by: admin.name)
            return JSONResponse.make(status: .created, try await pool(name, readBy: admin))
        }
        group.delete("admin/pools/:pool/vms/:vm") { _, context in
            let admin = try context.requireAdmin()
            try await broker.removeVMs([try context.pathParameter("vm")], fromPool: try context.pathParameter("pool"), by: admin.name)
            return Response(status: .noContent)
        }
    }

    /// One pool as `GET /admin/pools` lists it.
    private func pool(_ name: String, readBy reader: UserRecord) async throws -> AdminRoutes.PoolPayload {
        guard let view = try await broker.poolViews(requestedBy: reader, named: name).first else {
            throw BrokerError(StoreError.poolNotFound(name))
        }
        return AdminRoutes.PoolPayload(view, broker: broker)
    }}
