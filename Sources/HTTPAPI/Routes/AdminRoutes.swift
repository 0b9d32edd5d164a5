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
            struct Holder: Encodable {
                let id: String
                let user: String
                let clientAddress: String
                let port: Int
                let state: String
                let createdAt: Date
                let attached: Bool
                let attachedChannels: Int
                let presenceChangedAt: Date?
            }
            let name: String
            let session: Holder?

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

        init(_ view: PoolView, presence: PresenceTracker) {
            name = view.pool.name
            connect = view.pool.connectURI
            vms = view.vms.map { vm in
                let seen = presence.presence(of: VMRef(connectURI: view.pool.connectURI, domain: vm.name))
                return VM(name: vm.name, session: vm.session.map {
                    VM.Holder(id: $0.id, user: $0.user, clientAddress: $0.clientAddress, port: $0.publicPort,
                              state: $0.state.rawValue, createdAt: $0.createdAt, attached: seen.isAttached,
                              attachedChannels: seen.channels, presenceChangedAt: seen.changedAt)
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
            return JSONResponse.make(status: .ok, ["pools": views.map { PoolPayload($0, presence: broker.presence) }])
        }
    }
}
