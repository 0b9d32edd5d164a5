/// The "none" backend: the administrator forwards ports by hand, so every method does nothing.
public struct NoForwarder: PortForwarder {
    /// Creates the backend.
    public init() {}

    /// Does nothing.
    public func rebuild(_ rules: [ForwardRule]) async throws {}
    public func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool { false }
    /// Does nothing.
    public func install(_ rule: ForwardRule) async throws {}
    /// Does nothing.
    public func remove(_ rule: ForwardRule) async throws {}
    /// None: nothing is forwarded by the broker.
    public func forwardedSessions() async throws -> Int { 0 }
    /// "none (ports are forwarded by hand)".
    public var summary: String { "none (ports are forwarded by hand)" }
}
