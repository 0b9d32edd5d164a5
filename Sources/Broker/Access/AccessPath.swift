import Store

/// Where a console file sends its client: the host and port to open, and the HTTP CONNECT proxy to go through.
public struct ConsoleEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The `proxy` key of a `.vv`, when the client goes through a CONNECT proxy.
    public var proxy: String?
    /// Set when the endpoint is a SPICE gateway that takes the client's link itself: console files then carry a
    /// console credential instead of the desktop's ticket, and reach the gateway over TLS only, trusting this CA and
    /// certificate subject.
    public var gatewayTLS: SpiceTLSSettings?

    public init(host: String, port: Int, proxy: String? = nil, gatewayTLS: SpiceTLSSettings? = nil) {
        self.host = host
        self.port = port
        self.proxy = proxy
        self.gatewayTLS = gatewayTLS
    }
}

/// One way clients reach session desktops: a public port forwarded to the VM (DNAT), the CONNECT proxy, and the like.
///
/// A pool's console route selects one for its sessions, and a console request may name another. Broker tells the
/// session's path of the session's life and asks it where console files point; how the path works is its own
/// business. Each path is a module of its own, registered once in the wiring (see ARCHITECTURE.md).
public protocol AccessPath: Sendable {
    /// The route this path serves, as pools and console requests name it.
    var route: ConsoleRoute { get }
    /// What it is, for logs and admins, e.g. `DNAT via iptables (chain SAFFRON in table nat)`.
    var summary: String { get }
    /// Throws a `BrokerError` saying what to configure when this broker cannot serve consoles this way, so that no
    /// pool is routed through it.
    func checkAvailable() throws
    /// Throws a `BrokerError` when the path cannot reach a client at `clientAddress`, so a handout is refused before
    /// a VM starts.
    func checkClient(_ clientAddress: String) throws
    /// Opens the way to a session of this route whose desktop is up; opening a way already open changes nothing.
    func open(_ session: SessionRecord) async throws
    /// Follows a session of this route whose client moved here from `formerClientAddress`.
    func move(_ session: SessionRecord, from formerClientAddress: String) async throws
    /// Closes the way to a session of this route that ended or failed, cutting what is connected through it.
    func close(_ session: SessionRecord) async throws
    /// Where a console file of the session sends its client through this path; throws a `BrokerError` saying why
    /// when this path cannot reach the session now.
    func consoleEndpoint(of session: SessionRecord) throws -> ConsoleEndpoint
    /// Sets the path's own state to exactly what the live `sessions` need (at start).
    func restore(_ sessions: [SessionRecord]) async throws
    /// Puts the path's own state right if it drifted from what `sessions()` need; true when it had. `sessions` is
    /// read while no other change of the path runs, so a session ended or handed out meanwhile is never undone.
    func reconcile(_ sessions: @Sendable () async throws -> [SessionRecord]) async throws -> Bool
    /// How many sessions it holds state for now (DNAT: rules in the firewall); nil for a path that keeps none.
    func servedSessions() async throws -> Int?
}

/// What a path that keeps no state of its own does: nothing.
extension AccessPath {
    public func checkAvailable() throws {}
    public func checkClient(_ clientAddress: String) throws {}
    public func open(_ session: SessionRecord) async throws {}
    public func move(_ session: SessionRecord, from formerClientAddress: String) async throws {}
    public func close(_ session: SessionRecord) async throws {}
    public func restore(_ sessions: [SessionRecord]) async throws {}
    public func reconcile(_ sessions: @Sendable () async throws -> [SessionRecord]) async throws -> Bool { false }
    public func servedSessions() async throws -> Int? { nil }
}
