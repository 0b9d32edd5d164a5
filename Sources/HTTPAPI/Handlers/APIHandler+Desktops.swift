import Broker
import HTTPTypes
import Hummingbird
import Logging
import SaffronAPI
import Store

/// The pools a user may use, and getting a desktop of one.
extension APIHandler {
    func listPools(_ input: Operations.ListPools.Input) async throws -> Operations.ListPools.Output {
        let user = try RequestScope.caller.requireUser()
        let pools = try await broker.pools(visibleTo: user).map(Components.Schemas.Pool.init)
        return .ok(.init(body: .json(.init(pools: pools))))
    }

    func getDesktop(_ input: Operations.GetDesktop.Input) async throws -> Operations.GetDesktop.Output {
        let caller = try RequestScope.caller
        let user = try caller.requireUser()
        guard let client = caller.clientAddress else { throw BrokerError.badRequest("The client address is unknown.") }
        // ?another=true: a further desktop although the user has one in the pool; false or absent: their first one
        // there, or a new one if they have none.
        let another = input.query.another.map { $0 == ._true || $0 == ._1 } ?? false
        let handout = try await broker.desktop(inPool: input.path.pool, for: user, clientAddress: client, another: another)
        let session = try await Components.Schemas.Session.of([handout.session], broker: broker)[0]
        return handout.isNew ? .created(.init(body: .json(session))) : .ok(.init(body: .json(session)))
    }
}

extension Components.Schemas.Pool {
    /// A pool as users see it.
    init(_ summary: PoolSummary) {
        self.init(
            name: summary.pool.name, connect: summary.pool.connectURI,
            desktops: Components.Schemas.DesktopMode(rawValue: summary.pool.desktopMode.rawValue) ?? .pooled,
            vms: summary.vmCount, freeVMs: summary.freeVMCount,
            capacity: summary.vmCount + ClaimRules.creatableVMs(summary.pool, vmCount: summary.vmCount),
            desktopsPerUser: summary.pool.policy.maxSessionsPerUser, consoleVia: summary.pool.policy.consoleRoute.rawValue)
    }
}

extension Components.Schemas.Session {
    /// A session as its user sees it: where the client connects, whether a viewer is attached, and which admins were
    /// let in.
    init(_ session: SessionRecord, publicAddress: String, presence: DesktopPresence, openings: [ConsoleOpening] = []) {
        self.init(
            id: session.id, pool: session.pool, vm: session.vm, host: session.publicAddress ?? publicAddress,
            port: session.publicPort, user: session.user, clientAddress: session.clientAddress,
            state: Components.Schemas.SessionState(rawValue: session.state.rawValue) ?? .starting,
            via: session.route.rawValue, createdAt: session.createdAt, attached: presence.isAttached,
            attachedChannels: presence.channels, presenceChangedAt: presence.changedAt,
            consoleOpenedBy: openings.map { .init(by: $0.by, at: $0.at) })
    }

    /// The sessions with whether a viewer is attached to each and who else was let in.
    static func of(_ sessions: [SessionRecord], broker: Broker) async throws -> [Self] {
        let presence = try await broker.presence(of: sessions)
        let openings = try await broker.consoleOpenings(of: sessions)
        return sessions.map {
            Self(
                $0, publicAddress: broker.settings.publicAddress, presence: presence[$0.id] ?? .detached,
                openings: openings[$0.id] ?? [])
        }
    }
}
