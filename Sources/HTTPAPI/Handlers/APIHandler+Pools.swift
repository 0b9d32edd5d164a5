import Broker
import Foundation
import OpenAPIRuntime
import SaffronAPI
import Store

/// Pools and their VMs and hosts, for admins.
extension APIHandler {
    func adminPools(_ input: Operations.AdminPools.Input) async throws -> Operations.AdminPools.Output {
        let views = try await broker.poolViews(requestedBy: try RequestScope.caller.requireUser())
        return .ok(.init(body: .json(.init(pools: views.map { Components.Schemas.AdminPool($0, broker: broker) }))))
    }

    func adminPool(_ input: Operations.AdminPool.Input) async throws -> Operations.AdminPool.Output {
        .ok(.init(body: .json(try await pool(input.path.pool, readBy: try RequestScope.caller.requireReader()))))
    }

    func repairVM(_ input: Operations.RepairVM.Input) async throws -> Operations.RepairVM.Output {
        try await broker.repair(vm: input.path.vm, inPool: input.path.pool, requestedBy: try RequestScope.caller.requireUser())
        return .noContent(.init())
    }

    func unassignVM(_ input: Operations.UnassignVM.Input) async throws -> Operations.UnassignVM.Output {
        try await broker.unassign(vm: input.path.vm, inPool: input.path.pool, requestedBy: try RequestScope.caller.requireUser())
        return .noContent(.init())
    }

    func deletePool(_ input: Operations.DeletePool.Input) async throws -> Operations.DeletePool.Output {
        let admin = try RequestScope.caller.requireAdmin()
        try await broker.deletePool(named: input.path.pool, discardingOwned: input.query.discardOwned ?? false, by: admin.name)
        return .noContent(.init())
    }

    func addPoolHost(_ input: Operations.AddPoolHost.Input) async throws -> Operations.AddPoolHost.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let new) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        try await broker.addHost(new.connect, toPool: input.path.pool, by: admin.name)
        return .ok(.init(body: .json(try await pool(input.path.pool, readBy: admin))))
    }

    func removePoolHost(_ input: Operations.RemovePoolHost.Input) async throws -> Operations.RemovePoolHost.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard !input.query.connect.isEmpty else {
            throw BrokerError.badRequest("Name the host to remove: ?connect=URI (percent-encoded).")
        }
        try await broker.removeHost(input.query.connect, fromPool: input.path.pool, gone: input.query.gone ?? false, by: admin.name)
        return .ok(.init(body: .json(try await pool(input.path.pool, readBy: admin))))
    }

    func addVMs(_ input: Operations.AddVMs.Input) async throws -> Operations.AddVMs.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let new) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        try await broker.addVMs(new.vms, toPool: input.path.pool, by: admin.name)
        return .created(.init(body: .json(try await pool(input.path.pool, readBy: admin))))
    }

    func removeVM(_ input: Operations.RemoveVM.Input) async throws -> Operations.RemoveVM.Output {
        let admin = try RequestScope.caller.requireAdmin()
        try await broker.removeVMs([input.path.vm], fromPool: input.path.pool, by: admin.name)
        return .noContent(.init())
    }

    /// One pool as `GET /admin/pools` lists it.
    func pool(_ name: String, readBy reader: UserRecord) async throws -> Components.Schemas.AdminPool {
        guard let view = try await broker.poolViews(requestedBy: reader, named: name).first else {
            throw BrokerError(StoreError.poolNotFound(name))
        }
        return Components.Schemas.AdminPool(view, broker: broker)
    }
}

extension Components.Schemas.AdminPool {
    /// A pool as admins see it: its hosts, grants, policy, and each VM with its state and session.
    init(_ view: PoolView, broker: Broker) {
        self.init(
            name: view.pool.name, connect: view.pool.connectURI, hosts: view.pool.connectURIs,
            desktops: view.pool.desktopMode.rawValue, maxVMs: view.pool.template?.maxVMs, freeVMs: view.freeVMCount,
            access: view.access.map(\.description), policy: .init(view.pool.policy),
            vms: view.vms.map { vm in
                let presence = broker.presence(ofVM: vm.record, in: view.pool)
                let session = vm.session.map {
                    Components.Schemas.Session($0, publicAddress: broker.settings.publicAddress, presence: presence)
                }
                return Components.Schemas.AdminVM(
                    name: vm.name, created: vm.record.isProvisioned, owner: vm.record.assignedUser,
                    resetting: vm.record.needsReset, broken: vm.record.brokenReason, running: vm.running,
                    session: session.map { .init(value1: $0) },
                    host: vm.record.isProvisioned || view.pool.template == nil ? vm.record.connectURI ?? view.pool.connectURI : nil)
            })
    }
}

/// Creating a pool and changing its policy.
extension APIHandler {
    func createPool(_ input: Operations.CreatePool.Input) async throws -> Operations.CreatePool.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let new) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        var policy = PoolPolicy()
        new.policy?.apply(to: &policy)
        let access: [PoolGrant] = new._private == true ? [] : [.everyone]
        let hosts: [String]
        switch (new.connect, new.hosts) {
        case (let connect?, nil): hosts = [connect]
        case (nil, let list?) where !list.isEmpty: hosts = list
        default: throw BrokerError.badRequest("Give the pool's host as connect, or its hosts as a non-empty hosts list, not both.")
        }
        let desktops = new.desktops.map(DesktopMode.init)
        if let template = new.template {
            _ = try await broker.createTemplatePool(
                name: new.name, connectURI: hosts[0], otherConnectURIs: Array(hosts.dropFirst()),
                desktopMode: desktops ?? .volatile, template: try template.poolTemplate(), policy: policy, access: access,
                by: admin.name)
        } else {
            _ = try await broker.createPool(
                name: new.name, connectURI: hosts[0], otherConnectURIs: Array(hosts.dropFirst()),
                desktopMode: desktops ?? .pooled, policy: policy, access: access, by: admin.name)
        }
        return .created(.init(body: .json(try await pool(new.name, readBy: admin))))
    }

    func updatePolicy(_ input: Operations.UpdatePolicy.Input) async throws -> Operations.UpdatePolicy.Output {
        let admin = try RequestScope.caller.requireAdmin()
        guard case .json(let patch) = input.body else { throw BrokerError.badRequest("The body must be JSON.") }
        guard !patch.isEmpty else { throw BrokerError.badRequest("Name at least one policy field to change.") }
        let policy = try await broker.updatePolicy(ofPool: input.path.pool, by: admin.name) { patch.apply(to: &$0) }
        return .ok(.init(body: .json(.init(policy))))
    }
}
