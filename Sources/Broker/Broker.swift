import ConsoleFile
import Foundation
import Logging
import Store

/// The domain of Saffron: pools of VMs handed out to users as sessions, each reached through an access path.
///
/// It speaks to the world only through `Store`, `Hypervisor` and `AccessPath`, so it runs the same under the
/// HTTP API, the CLI and unit tests.
public struct Broker: Sendable {
    public let store: any Store
    public let hypervisor: any Hypervisor
    /// The ways clients reach desktops, by the route that selects each.
    let accessPaths: [ConsoleRoute: any AccessPath]
    public let settings: BrokerSettings
    /// Gateway tokens of browser consoles.
    public let webConsoleTokens: SessionTokens
    /// The credentials console files of the SPICE gateway carry.
    public let consoleCredentials: SessionTokens
    /// The desktop tickets the SPICE gateway presents, one per session at a time.
    let gatewayTickets = GatewayTickets()
    /// "Send to phone" links.
    public let phoneLinks: PhoneLinks
    /// Which desktops have a viewer attached, fed with the hypervisors' events.
    public let presence: PresenceTracker
    /// What pool upkeep remembers between rounds (spares being prepared, idle clocks, last tickets).
    public let upkeep: UpkeepState
    /// Logins, handouts, session ends and admin changes, for admins.
    public let audit: AuditLog
    /// Counters and gauges for Prometheus.
    public let metrics: BrokerMetrics
    /// Told of every session this broker ends.
    let sessionObservers: [any SessionObserver]
    let logger: Logger

    public init(
        store: any Store, hypervisor: any Hypervisor, accessPaths: [any AccessPath], settings: BrokerSettings,
        webConsoleTokens: SessionTokens? = nil, consoleCredentials: SessionTokens? = nil, sessionObservers: [any SessionObserver] = [],
        presence: PresenceTracker = PresenceTracker(), upkeep: UpkeepState = UpkeepState(),
        metrics: BrokerMetrics = BrokerMetrics(), logger: Logger = Logger(label: "saffron.broker")
    ) {
        self.store = store
        self.hypervisor = hypervisor
        self.accessPaths = Dictionary(accessPaths.map { ($0.route, $0) }, uniquingKeysWith: { first, _ in first })
        self.metrics = metrics
        self.settings = settings
        self.webConsoleTokens = webConsoleTokens ?? .webConsole(store: store)
        self.consoleCredentials = consoleCredentials ?? .consoleCredentials(store: store)
        self.phoneLinks = PhoneLinks(store: store)
        self.sessionObservers = sessionObservers
        self.presence = presence
        self.upkeep = upkeep
        self.logger = logger
        self.audit = AuditLog(store: store)
    }

    /// Every pool with its VM count and free VMs.
    public func pools() async throws -> [PoolSummary] {
        try await store.poolSummaries()
    }

    /// The session `id` if `user` may see it (its owner, or an admin); otherwise `session_not_found`, so ids of
    /// other people's sessions reveal nothing.
    public func session(id: String, visibleTo user: UserRecord) async throws -> SessionRecord {
        guard let session = try await store.session(id: id), session.user == user.name || user.isAdmin else {
            throw BrokerError.sessionNotFound(id)
        }
        return session
    }

    /// The sessions `user` may see: their own, or all for an admin.
    public func sessions(visibleTo user: UserRecord) async throws -> [SessionRecord] {
        try await store.sessions().filter { user.isAdmin || $0.user == user.name }
    }

    /// Whether the session's clients are sent over SPICE TLS: the broker is configured for it and the VM's SPICE
    /// server offers a TLS port.
    public static func usesSpiceTLS(_ session: SessionRecord, settings: BrokerSettings) -> Bool {
        settings.spiceTLS != nil && session.targetTLSPort != nil
    }

    /// The VM's SPICE port clients reach: the TLS port under SPICE TLS, else the plain one.
    public static func spicePort(of session: SessionRecord, settings: BrokerSettings) -> Int? {
        usesSpiceTLS(session, settings: settings) ? session.targetTLSPort : session.targetPort
    }

    func vmRef(for session: SessionRecord) async throws -> VMRef {
        guard let pool = try await store.pool(named: session.pool) else { throw BrokerError(StoreError.poolNotFound(session.pool)) }
        return try await ref(ofVM: session.vm, in: pool)
    }
}
