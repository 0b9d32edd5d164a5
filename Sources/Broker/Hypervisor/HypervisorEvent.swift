/// Something that happened to a VM, as the hypervisor reports it, in the broker's words.
public enum HypervisorEvent: Sendable, Equatable {
    /// The VM started running (booted or resumed).
    case started(domain: String)
    /// The VM is no longer running, however it ended (shut down, destroyed, crashed); `reason` says how, for logs.
    case stopped(domain: String, reason: String)
    /// One SPICE channel of a viewer finished authenticating; `client` is its `address:port`.
    ///
    /// SPICE reports each channel separately: one viewer attaches several channels and detaches them one by one.
    case viewerAttached(domain: String, client: String)
    /// One SPICE channel of a viewer closed.
    case viewerDetached(domain: String, client: String)

    /// The name of the VM the event is about.
    public var domain: String {
        switch self {
        case .started(let domain), .stopped(let domain, _), .viewerAttached(let domain, _), .viewerDetached(let domain, _):
            domain
        }
    }
}
