import Broker
import Foundation
import OpenAPIRuntime
import SaffronAPI
import Store

/// Live sessions, hypervisor hosts, GPUs, the firewall, screenshots and the audit log, for admins.
extension APIHandler {
    func adminSessions(_ input: Operations.AdminSessions.Input) async throws -> Operations.AdminSessions.Output {
        _ = try RequestScope.caller.requireReader()
        let sessions = try await Components.Schemas.Session.of(try await broker.store.sessions(), broker: broker)
        return .ok(.init(body: .json(.init(sessions: sessions))))
    }

    func adminEndSession(_ input: Operations.AdminEndSession.Input) async throws -> Operations.AdminEndSession.Output {
        let caller = try RequestScope.caller
        try await broker.endSession(id: input.path.id, requestedBy: try caller.requireAdmin(), from: caller.clientAddress)
        return .noContent(.init())
    }

    func adminHosts(_ input: Operations.AdminHosts.Input) async throws -> Operations.AdminHosts.Output {
        _ = try RequestScope.caller.requireReader()
        return .ok(.init(body: .json(.init(hosts: try await broker.hosts().map(Components.Schemas.Host.init)))))
    }

    func adminGPUs(_ input: Operations.AdminGPUs.Input) async throws -> Operations.AdminGPUs.Output {
        _ = try RequestScope.caller.requireReader()
        let boards = try await broker.gpuBoards(on: input.query.connect).map(Components.Schemas.GPUBoard.init)
        return .ok(.init(body: .json(.init(boards: boards))))
    }

    func adminFirewall(_ input: Operations.AdminFirewall.Input) async throws -> Operations.AdminFirewall.Output {
        _ = try RequestScope.caller.requireReader()
        let report = try await broker.firewallReport()
        return .ok(
            .init(
                body: .json(
                    .init(
                        backend: report.backend, ready: report.ready, forwarded: report.forwarded,
                        liveSessions: report.liveSessions, error: report.error))))
    }

    func reconcileFirewall(_ input: Operations.ReconcileFirewall.Input) async throws -> Operations.ReconcileFirewall.Output {
        let admin = try RequestScope.caller.requireAdmin()
        return .ok(.init(body: .json(.init(rebuilt: try await broker.reconcileFirewall(by: admin.name)))))
    }

    func vmScreenshot(_ input: Operations.VmScreenshot.Input) async throws -> Operations.VmScreenshot.Output {
        let user = try RequestScope.caller.requireUser()
        let png = try await broker.thumbnail(ofVM: input.path.vm, inPool: input.path.pool, requestedBy: user)
        return .ok(.init(headers: .init(cacheControl: .noStore), body: .png(HTTPBody(png))))
    }

    func auditLog(_ input: Operations.AuditLog.Input) async throws -> Operations.AuditLog.Output {
        let user = try RequestScope.caller.requireUser()
        let limit = input.query.limit ?? 100
        let events = try await broker.audit.events(before: input.query.before.map(Int64.init), limit: limit, requestedBy: user)
        let nextBefore = events.count == limit ? events.last.map { Int($0.id) } : nil
        return .ok(.init(body: .json(.init(events: events.map(Components.Schemas.AuditEvent.init), nextBefore: nextBefore))))
    }
}

extension Components.Schemas.Host {
    init(_ host: HostView) {
        self.init(
            connect: host.connect, pools: host.pools, reachable: host.reachable, domains: host.domains, running: host.running,
            poolVMs: host.poolVMs, poolVMsRunning: host.poolVMsRunning, error: host.error)
    }
}

extension Components.Schemas.GPUBoard {
    package init(_ board: GPUBoardView) {
        self.init(
            address: board.address, nodeName: board.nodeName, vendor: board.vendor, product: board.product,
            pciClass: board.pciClass,
            profiles: board.profiles.map {
                .init(
                    _type: $0.type, name: $0.name, framebufferMiB: $0.framebufferMiB, deviceAPI: $0.deviceAPI,
                    maxPerBoard: $0.maxPerBoard, inUse: $0.inUse, available: $0.available)
            },
            vgpusInUse: board.vgpusInUse, passthroughDomains: board.passthroughDomains,
            freeForPassthrough: board.freeForPassthrough)
    }
}

/// The store's audit entry, named apart from the document's type of the same name.
typealias AuditRecord = AuditEvent

extension Components.Schemas.AuditEvent {
    init(_ event: AuditRecord) {
        self.init(
            id: Int(event.id), at: event.at, actor: event.actor, action: event.action.rawValue, subject: event.subject,
            clientAddress: event.clientAddress, succeeded: event.succeeded, detail: event.detail)
    }
}
