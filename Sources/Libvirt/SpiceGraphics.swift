/// What libvirt does with clients already connected when a new SPICE ticket is set (`connected` attribute).
public enum GraphicsConnectedPolicy: String, Sendable {
    /// Leave connected clients alone.
    case keep
    /// Disconnect connected clients.
    case disconnect
    /// Fail the update if clients are connected.
    case fail
}

/// The SPICE `<graphics>` settings of a domain, as read from its XML.
public struct SpiceGraphics: Sendable, Equatable {
    /// Listen address, from the `listen` attribute or the first `<listen address=...>` child.
    public var listen: String?
    /// Plain-text port; in live XML the port actually in use, nil when not yet assigned (`-1`).
    public var port: Int?
    /// TLS port, nil when absent or not assigned.
    public var tlsPort: Int?
    /// True when libvirt picks the port(s) at start.
    public var autoport: Bool
    /// True when a `passwd` is present; only visible in XML fetched with the secure flag.
    public var hasPassword: Bool
    /// The `passwdValidTo` attribute verbatim (UTC, `YYYY-MM-DDTHH:MM:SS`), if any.
    public var passwordValidTo: String?

    /// Creates a value from its parts.
    public init(
        listen: String? = nil, port: Int? = nil, tlsPort: Int? = nil, autoport: Bool = false,
        hasPassword: Bool = false, passwordValidTo: String? = nil
    ) {
        self.listen = listen
        self.port = port
        self.tlsPort = tlsPort
        self.autoport = autoport
        self.hasPassword = hasPassword
        self.passwordValidTo = passwordValidTo
    }
}
