/// The SPICE gateway's two questions to the broker: which desktop does a console credential open for this client, and
/// what is that desktop's ticket right now?
public protocol SpiceConsoleResolver: Sendable {
    /// The desktop `credential` (the ticket a client's link presented) opens for a client at `clientAddress`, the
    /// address its connection came from.
    ///
    /// - Throws: `SpiceConsoleRefusal` when it opens none (the client is told `PERMISSION_DENIED`); any other error
    ///   is logged and answered the same way.
    func desktop(forCredential credential: String, clientAddress: String) async throws -> SpiceConsoleTarget

    /// A ticket for the session's desktop, set on its SPICE server now and valid briefly: the gateway presents it
    /// when it links the desktop. Never logged, never sent to a client.
    func desktopTicket(forSession sessionID: String) async throws -> String
}

/// The desktop a console credential opens: its session and its SPICE server's plain endpoint.
public struct SpiceConsoleTarget: Sendable, Equatable {
    public var sessionID: String
    public var host: String
    public var port: Int

    public init(sessionID: String, host: String, port: Int) {
        self.sessionID = sessionID
        self.host = host
        self.port = port
    }
}

/// Why a credential opens no desktop; logged with the client's address, never with the credential.
public struct SpiceConsoleRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }

    /// Unknown, expired, or its session ended.
    public static let unknownCredential = SpiceConsoleRefusal("credential unknown, expired or its session ended")
    /// The session is pinned to another client address.
    public static let otherClient = SpiceConsoleRefusal("the session is pinned to another client address")
}
