internal import CLibvirt

/// Coarse run state of a domain, as the broker needs it.
public enum DomainState: String, Sendable {
    /// Running (libvirt's "running", and "blocked" which is a running domain waiting on a resource).
    case running
    /// Paused by a user or by libvirt.
    case paused
    /// Not running.
    case shutoff
    /// The guest crashed.
    case crashed
    /// Any other libvirt state (shutting down, suspended by guest power management, unknown).
    case other
}

/// Name, UUID and state of one domain.
public struct DomainInfo: Sendable, Equatable {
    /// The domain's unique name on its connection.
    public let name: String
    /// The domain's UUID in its canonical textual form.
    public let uuid: String
    /// The state at the time of the query.
    public let state: DomainState

    /// Creates a value; useful for test doubles of a hypervisor.
    public init(name: String, uuid: String, state: DomainState) {
        self.name = name
        self.uuid = uuid
        self.state = state
    }
}

extension DomainState {
    /// Maps a `virDomainState` value.
    init(libvirtState state: Int32) {
        switch UInt32(bitPattern: state) {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: self = .running
        case VIR_DOMAIN_PAUSED.rawValue: self = .paused
        case VIR_DOMAIN_SHUTOFF.rawValue: self = .shutoff
        case VIR_DOMAIN_CRASHED.rawValue: self = .crashed
        default: self = .other
        }
    }
}

extension DomainInfo {
    /// Reads name, UUID and state of a `virDomainPtr`; call on the connection's queue.
    init(domain: OpaquePointer, connection: OpaquePointer) throws {
        guard let name = virDomainGetName(domain) else {
            throw LibvirtError.last(connection: connection, operation: "virDomainGetName")
        }
        var uuid = [CChar](repeating: 0, count: Int(VIR_UUID_STRING_BUFLEN))
        guard virDomainGetUUIDString(domain, &uuid) == 0 else {
            throw LibvirtError.last(connection: connection, operation: "virDomainGetUUIDString")
        }
        var state: Int32 = 0
        var reason: Int32 = 0
        guard virDomainGetState(domain, &state, &reason, 0) == 0 else {
            throw LibvirtError.last(connection: connection, operation: "virDomainGetState")
        }
        self.init(
            name: String(cString: name),
            uuid: String(decoding: uuid.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
            state: DomainState(libvirtState: state))
    }
}
