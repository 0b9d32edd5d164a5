/// What the broker needs from a firewall backend: keep one DNAT rule per live session.
public protocol PortForwarder: Sendable {
    /// Replaces every rule Saffron owns with exactly these (at start, from the store), creating
    /// its chains and jumps if absent.
    func rebuild(_ rules: [ForwardRule]) async throws
    /// Makes the rules Saffron owns exactly `wanted()` if they drifted (removed or added behind its back), and
    /// says whether they had. `wanted` is read while no other change of this forwarder runs, so a session ended or
    /// handed out meanwhile is never undone.
    func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool
    /// Adds the rule; adding a rule that is already there changes nothing.
    func install(_ rule: ForwardRule) async throws
    /// Removes the rule and forgets the connections established through it, so they stop reaching the VM;
    /// removing a rule that is not there is not an error.
    func remove(_ rule: ForwardRule) async throws
    /// How many sessions the firewall forwards now (rules or elements in Saffron's own chains or table); throws,
    /// saying why, when the backend cannot be used here.
    func forwardedSessions() async throws -> Int
    /// Human description for status output, e.g. "iptables (chain SAFFRON-DNAT, masquerade on)".
    var summary: String { get }
    /// Throws when this backend cannot pin a rule to `clientAddress`, so a handout can be refused before it starts a VM.
    func checkClientAddress(_ clientAddress: String) throws
}

extension PortForwarder {
    /// Any address will do for backends that pin nothing.
    public func checkClientAddress(_ clientAddress: String) throws {}
}
