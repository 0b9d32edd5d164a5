import Broker
import Foundation
import Hummingbird
import Store

/// Live sessions, libvirt hosts and the firewall for admins under `/admin`, as `saffron session`, `saffron host` and
/// `saffron firewall` show them.
struct OperationsRoutes {
    let broker: Broker

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("admin/sessions") { _, context in
            _ = try context.requireReader()
            let sessions = try await broker.store.sessions()
            return JSONResponse.make(status: .ok, ["sessions": try await SessionPayload.of(sessions, broker: broker)])
        }
        group.delete("admin/sessions/:id") { _, context in
            let admin = try context.requireAdmin()
            try await broker.endSession(id: try context.pathParameter("id"), requestedBy: admin, from: context.clientAddress)
            return Response(status: .noContent)
        }
        group.get("admin/hosts") { _, context in
            _ = try context.requireReader()
            return JSONResponse.make(status: .ok, ["hosts": try await broker.hosts()])
        }
        group.get("admin/hosts/gpus") { request, context in
            _ = try context.requireReader()
            guard let connect = request.uri.queryParameters.get("connect") else {
                throw BrokerError.badRequest("Name the host: ?connect=URI, one of GET /api/v1/admin/hosts.")
            }
            return JSONResponse.make(status: .ok, ["boards": try await broker.gpuBoards(on: connect)])
        }
        group.post("admin/firewall/reconcile") { _, context in
            let admin = try context.requireAdmin()
            struct Reconciled: Encodable { let rebuilt: Bool }
            return JSONResponse.make(status: .ok, Reconciled(rebuilt: try await broker.reconcileFirewall(by: admin.name)))
        }
        group.get("admin/firewall") { _, context in
            _ = try context.requireReader()
            return JSONResponse.make(status: .ok, try await broker.firewallReport())
        }
    }
}
