import Broker
import Foundation
import Hummingbird
import Store

/// `GET /me` for every user, and the admin views under `/admin`.
struct AdminRoutes {
    let broker: Broker

    struct Me: Encodable {
        let name: String
        let admin: Bool
    }

    struct PoolPayload: Encodable {
        struct VM: Encodable {
            let name: String
            /// The session holding the VM, as `GET /sessions/{id}` shows it.
            let session: SessionPayload?

            /// A free VM says so with `"session": null` rather than leaving the key out.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(name, forKey: .name)
                try container.encode(session, forKey: .session)
            }

            private enum CodingKeys: String, CodingKey { case name, session }
        }
        let name: String
        let connect: String
        let vms: [VM]

        init(_ view: PoolView, broker: Broker) {
            name = view.pool.name
            connect = view.pool.connectURI
            vms = view.vms.map { vm in
                let presence = broker.presence.presence(of: VMRef(connectURI: view.pool.connectURI, domain: vm.name))
                return VM(name: vm.name, session: vm.session.map {
                    SessionPayload($0, publicAddress: broker.settings.publicAddress, presence: presence)
                })
            }
        }
    }

    func register(on group: RouterGroup<SaffronRequestContext>) {
        group.get("me") { _, context in
            let user = try context.requireUser()
            return JSONResponse.make(status: .ok, Me(name: user.name, admin: user.isAdmin))
        }
        group.get("admin/pools") { _, context in
            let views = try await broker.poolViews(requestedBy: try context.requireUser())
            return JSONResponse.make(status: .ok, ["pools": views.map { PoolPayload($0, broker: broker) }])
        }
    }
}
