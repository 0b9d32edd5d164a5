import Foundation

/// The knobs of handout: where clients are sent and how long their tickets live.
public struct BrokerSettings: Sendable {
    /// The gateway address `.vv` files carry and DNAT rules match.
    public var publicAddress: String
    /// The public ports leased to sessions, one each.
    public var portRange: ClosedRange<Int>
    /// How long a SPICE ticket from a `.vv` stays valid; it must cover the client opening all its channels.
    public var ticketValidity: TimeInterval
    /// SPICE over TLS for VMs whose SPICE server offers it; nil sends every client to the plain port.
    public var spiceTLS: SpiceTLSSettings?
    /// The libvirt connections pools may be created on.
    public var connectURIs: ConnectURIPolicy
    /// This broker's name among the brokers sharing a database (the host's name unless configured).
    public var nodeName: String
    /// What this broker does among them; without `upkeep` it keeps no pool.
    public var roles: Set<NodeRole>
    /// Browser consoles go through the SPICE gateway with the session's console credential (reusable, so a page
    /// reload keeps working), instead of a single-use token and the desktop's own ticket.
    public var browserConsolesThroughGateway = false

    public init(
        publicAddress: String, portRange: ClosedRange<Int>, ticketValidity: TimeInterval,
        spiceTLS: SpiceTLSSettings? = nil, connectURIs: ConnectURIPolicy = .localOnly,
        nodeName: String = ProcessInfo.processInfo.hostName, roles: Set<NodeRole> = Set(NodeRole.allCases)
    ) {
        self.nodeName = nodeName
        self.roles = roles
        self.connectURIs = connectURIs
        self.publicAddress = publicAddress
        self.portRange = portRange
        self.ticketValidity = ticketValidity
        self.spiceTLS = spiceTLS
    }
}

/// What SPICE clients are told to trust: the CA that signed the hypervisors' SPICE certificates and the subject
/// those certificates carry (the `.vv` names the gateway, not the hypervisor, so the host name cannot be checked).
public struct SpiceTLSSettings: Sendable, Equatable {
    /// The CA certificate, PEM.
    public var caPEM: String
    /// The SPICE servers' certificate subject, e.g. `O=Saffron,CN=hv1.example`; nil checks the host name instead.
    public var hostSubject: String?

    public init(caPEM: String, hostSubject: String?) {
        self.caPEM = caPEM
        self.hostSubject = hostSubject
    }
}
