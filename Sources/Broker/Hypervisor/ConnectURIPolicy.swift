/// The libvirt connection URIs pools may use (`libvirt.allowedURIs`): the broker opens no other, so an admin request
/// cannot make it read a file of its choosing through a driver such as `test:///PATH`, or reach a host nobody
/// named.
public struct ConnectURIPolicy: Sendable, Equatable {
    /// The URIs allowed, compared as written (a query such as `?keyfile=` or `?socket=` must be written too).
    public var allowed: [String]

    /// Only `qemu:///system`, the local hypervisor.
    public static let localOnly = ConnectURIPolicy(allowed: ["qemu:///system"])

    public init(allowed: [String]) {
        self.allowed = allowed
    }

    /// Whether pools may use `uri`.
    public func allows(_ uri: String) -> Bool { allowed.contains(uri) }

    /// Throws `400 connect_not_allowed`, saying what is allowed and where to change it, unless `uri` is allowed: for a
    /// connection someone asks for now (a new pool, a host's GPUs).
    public func check(_ uri: String) throws {
        guard !allows(uri) else { return }
        throw BrokerError(.connectNotAllowed, "The libvirt connection \(uri.prefix(200).debugDescription) is not one the broker may use "
                + "(allowed: \(allowed.joined(separator: ", "))). An admin adds it to libvirt.allowedURIs in the broker's config.")
    }

    /// Throws `503 hypervisor_unavailable` unless `uri` is allowed: for a pool stored before the list was narrowed,
    /// whose users did nothing wrong and whose admin must allow the connection or delete the pool.
    public func checkStored(_ uri: String) throws {
        guard !allows(uri) else { return }
        throw BrokerError(.hypervisorUnavailable, "The libvirt connection \(uri.prefix(200).debugDescription) is not among libvirt.allowedURIs, so the "
                + "broker does not open it; an admin must allow it in the broker's config or delete its pools.")
    }
}
