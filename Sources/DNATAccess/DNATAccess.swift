import Broker
import Firewall
import Store

/// The `direct` route: each session's leased public port on this broker's gateway address is forwarded (DNAT) to
/// its VM's SPICE port, pinned to the client's address, by a firewall backend (iptables or nftables).
///
/// A session handed out on another broker's address is that broker's to forward; this one leaves it alone.
public struct DNATAccess: AccessPath {
    /// The firewall backend, timed for `saffron_firewall_apply_seconds`.
    let forwarder: any PortForwarder
    let settings: BrokerSettings

    /// - Parameters:
    ///   - forwarder: the firewall backend that keeps the rules.
    ///   - settings: this broker's gateway address and SPICE TLS settings (the TLS port is forwarded under TLS).
    public init(forwarder: any PortForwarder, settings: BrokerSettings, metrics: BrokerMetrics = BrokerMetrics()) {
        self.forwarder = TimedForwarder(forwarder: forwarder, metrics: metrics)
        self.settings = settings
    }

    public var route: ConsoleRoute { .direct }
    public var summary: String { "DNAT via \(forwarder.summary)" }

    public func checkClient(_ clientAddress: String) throws {
        do {
            try forwarder.checkClientAddress(clientAddress)
        } catch {
            throw BrokerError(.clientAddressUnsupported, "Desktops can be forwarded to IPv4 clients only; connect to the broker over IPv4 (\(clientAddress) is not).")
        }
    }

    public func open(_ session: SessionRecord) async throws {
        guard let rule = rule(for: session) else { return }
        do {
            try await forwarder.install(rule)
        } catch {
            throw BrokerError.forwarding("Could not forward port \(rule.publicPort) to \(session.vm): \(error)")
        }
    }

    /// Installs the rule for the new client before removing the former one, so the session is never unreachable.
    public func move(_ session: SessionRecord, from formerClientAddress: String) async throws {
        var before = session
        before.clientAddress = formerClientAddress
        if let rule = rule(for: session) { try await forwarder.install(rule) }
        if let former = rule(for: before) { try await forwarder.remove(former) }
    }

    /// Removes the rule and forgets the connections made through it.
    public func close(_ session: SessionRecord) async throws {
        guard let rule = rule(for: session) else { return }
        try await forwarder.remove(rule)
    }

    public func consoleEndpoint(of session: SessionRecord) throws -> ConsoleEndpoint {
        guard session.route == route else {
            throw BrokerError(.routeUnavailable, "This desktop is reached through the \(session.route) route only (its pool forwards no port); ask for its console file without via=direct.")
        }
        return ConsoleEndpoint(host: session.publicAddress ?? settings.publicAddress, port: session.publicPort)
    }

    public func restore(_ sessions: [SessionRecord]) async throws {
        try await forwarder.rebuild(sessions.compactMap(rule(for:)))
    }

    public func reconcile(_ sessions: @Sendable () async throws -> [SessionRecord]) async throws -> Bool {
        let settings = self.settings
        return try await forwarder.reconcile { try await sessions().compactMap { Self.rule(for: $0, settings: settings) } }
    }

    public func servedSessions() async throws -> Int? {
        try await forwarder.forwardedSessions()
    }

    func rule(for session: SessionRecord) -> ForwardRule? {
        Self.rule(for: session, settings: settings)
    }

    /// The rule forwarding the session's public port to its VM's SPICE port, the TLS one when clients are sent over
    /// TLS; none for a session of another route, one not started yet, or one another broker forwards (handed out on
    /// another gateway address: that broker installs and removes its rule).
    static func rule(for session: SessionRecord, settings: BrokerSettings) -> ForwardRule? {
        guard session.route == .direct, session.publicAddress == nil || session.publicAddress == settings.publicAddress,
            let address = session.targetAddress,
            let port = Broker.spicePort(of: session, settings: settings)
        else { return nil }
        return ForwardRule(
            sessionID: session.id, clientAddress: session.clientAddress, publicAddress: settings.publicAddress,
            publicPort: session.publicPort, targetAddress: address, targetPort: port)
    }
}
