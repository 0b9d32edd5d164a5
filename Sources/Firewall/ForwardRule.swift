/// One forwarding rule: TCP traffic from `clientAddress` to `publicAddress:publicPort` is DNATed to
/// `targetAddress:targetPort`.
///
/// The broker keeps these in its store; a ``PortForwarder`` turns them into firewall rules.
public struct ForwardRule: Hashable, Sendable, Codable {
    /// The session that owns the rule; only ASCII letters, digits and `-`.
    public var sessionID: String
    /// The IPv4 address of the viewer allowed through.
    public var clientAddress: String
    /// The IPv4 address the viewer connects to (the broker's or gateway's address).
    public var publicAddress: String
    /// The TCP port the viewer connects to.
    public var publicPort: Int
    /// The IPv4 address of the hypervisor's SPICE listener.
    public var targetAddress: String
    /// The TCP port of the SPICE listener.
    public var targetPort: Int

    /// Creates a rule; nothing is checked until a backend renders it (see ``validated()``).
    public init(
        sessionID: String,
        clientAddress: String,
        publicAddress: String,
        publicPort: Int,
        targetAddress: String,
        targetPort: Int
    ) {
        self.sessionID = sessionID
        self.clientAddress = clientAddress
        self.publicAddress = publicAddress
        self.publicPort = publicPort
        self.targetAddress = targetAddress
        self.targetPort = targetPort
    }
}
