import Broker
import Foundation
import Store

/// `POST /api/v1/login` body.
struct LoginRequest: Decodable {
    static let keys: Set<String> = ["username", "password"]
    let username: String
    let password: String
}

/// `POST /api/v1/login` answer.
struct LoginResponse: Encodable {
    let token: String
    let expiresAt: Date
}

/// A pool as users see it.
struct PoolPayload: Encodable {
    let name: String
    let connect: String
    /// What a desktop becomes after its session: `pooled`, `volatile` or `persistent`.
    let desktops: String
    let vms: Int
    /// Desktops a new user could get now, counting those a template pool may still create.
    let freeVMs: Int
    /// How many desktops the pool can hand out at once: its VMs, and for a template pool those it may still create.
    let capacity: Int
    /// How many desktops of the pool one user may hold at once (`POST .../desktop?another=true` for each further one).
    let desktopsPerUser: Int
    /// How the pool's console files reach the desktop: `direct` (a forwarded port) or `proxy` (the CONNECT proxy).
    let consoleVia: String

    init(_ summary: PoolSummary) {
        name = summary.pool.name
        connect = summary.pool.connectURI
        desktops = summary.pool.desktopMode.rawValue
        vms = summary.vmCount
        freeVMs = summary.freeVMCount
        capacity = summary.vmCount + ClaimRules.creatableVMs(summary.pool, vmCount: summary.vmCount)
        desktopsPerUser = summary.pool.policy.maxSessionsPerUser
        consoleVia = summary.pool.policy.consoleRoute.rawValue
    }
}

/// A session as users see it: where their client connects (the gateway's public address and the leased port).
struct SessionPayload: Encodable {
    let id: String
    let pool: String
    let vm: String
    let host: String
    let port: Int
    let user: String
    let clientAddress: String
    let state: String
    /// How the session's console files reach the desktop: `direct` (the forwarded `host`:`port`) or `proxy` (the
    /// CONNECT proxy; no port is forwarded).
    let via: String
    let createdAt: Date
    /// Whether a viewer is attached right now (from the hypervisor's SPICE events).
    let attached: Bool
    /// The SPICE channels attached (a viewer opens several).
    let attachedChannels: Int
    /// When the desktop last became attached or detached, if seen since the broker started.
    let presenceChangedAt: Date?
    /// Admins given a way into this desktop (a `.vv`, a browser console, a phone link), newest first.
    let consoleOpenedBy: [ConsoleOpening]

    init(_ session: SessionRecord, publicAddress: String, presence: DesktopPresence, openings: [ConsoleOpening] = []) {
        consoleOpenedBy = openings
        id = session.id
        pool = session.pool
        vm = session.vm
        host = session.publicAddress ?? publicAddress
        port = session.publicPort
        user = session.user
        clientAddress = session.clientAddress
        state = session.state.rawValue
        via = session.route.rawValue
        createdAt = session.createdAt
        attached = presence.isAttached
        attachedChannels = presence.channels
        presenceChangedAt = presence.changedAt
    }

    /// The payloads of `sessions`, with whether a viewer is attached to each and who else was let in.
    static func of(_ sessions: [SessionRecord], broker: Broker) async throws -> [SessionPayload] {
        let presence = try await broker.presence(of: sessions)
        let openings = try await broker.consoleOpenings(of: sessions)
        return sessions.map {
            SessionPayload(
                $0, publicAddress: broker.settings.publicAddress, presence: presence[$0.id] ?? .detached,
                openings: openings[$0.id] ?? [])
        }
    }
}
