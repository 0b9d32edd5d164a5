/// Something that happened to a domain, as libvirt's event loop reported it.
public enum DomainEvent: Sendable, Equatable {
    /// The domain's life changed (`VIR_DOMAIN_EVENT_ID_LIFECYCLE`): defined, started, stopped, crashed, ….
    case lifecycle(domain: String, change: LifecycleChange)
    /// A graphics client connected, finished authenticating, or left (`VIR_DOMAIN_EVENT_ID_GRAPHICS`).
    ///
    /// SPICE reports each channel of a client separately: one viewer makes several connects and disconnects.
    case graphics(domain: String, phase: GraphicsPhase, client: String)

    /// The name of the domain the event is about.
    public var domain: String {
        switch self {
        case .lifecycle(let domain, _), .graphics(let domain, _, _): domain
        }
    }
}

/// A lifecycle change: libvirt's event type with its detail (for `stopped`, for example, destroyed or crashed).
public struct LifecycleChange: Sendable, Equatable, CustomStringConvertible {
    /// libvirt's `virDomainEventType`.
    public enum Kind: Int32, Sendable {
        case defined = 0, undefined, started, suspended, resumed, stopped, shutdown, pmSuspended, crashed
    }

    /// The kind of change, or nil for a kind newer than this binding.
    public let kind: Kind?
    /// The event type's detail code as libvirt sent it (e.g. `VIR_DOMAIN_EVENT_STOPPED_DESTROYED` = 2).
    public let detail: Int32

    /// The detail of `stopped` that says the domain was destroyed (`virsh destroy`, or by the broker).
    public static let stoppedDestroyed: Int32 = 1
    /// The detail of `stopped` that says the guest crashed.
    public static let stoppedCrashed: Int32 = 2
    /// The detail of `stopped` that says the emulator or its host failed.
    public static let stoppedFailed: Int32 = 5

    /// Creates a change from libvirt's event type (nil when unknown) and detail.
    public init(kind: Kind?, detail: Int32) {
        self.kind = kind
        self.detail = detail
    }

    /// Whether the domain is no longer running after this change (libvirt sends `stopped` however it ended,
    /// after any `shutdown` or `crashed` event).
    public var endsRunning: Bool { self.kind == .stopped }

    public var description: String { "\(self.kind.map { "\($0)" } ?? "unknown") (detail \(self.detail))" }
}

/// The phases of a graphics client's connection (`virDomainEventGraphicsPhase`).
public enum GraphicsPhase: Int32, Sendable {
    /// The client's socket connected.
    case connect = 0
    /// Authentication and set-up finished.
    case initialize
    /// The client's socket disconnected.
    case disconnect
}
