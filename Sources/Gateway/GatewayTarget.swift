/// Where a redeemed token may connect.
///
/// Only the token resolver produces targets: the browser never names a host or port.
public struct GatewayTarget: Sendable, Equatable {
    /// The broker session this connection belongs to; `WebSocketGateway.closeConnections(ofSession:)` uses it.
    public var sessionID: String
    /// The SPICE endpoint's host name or address.
    public var host: String
    /// The SPICE endpoint's TCP port.
    public var port: Int

    /// Creates a target for the given session and SPICE endpoint.
    public init(sessionID: String, host: String, port: Int) {
        self.sessionID = sessionID
        self.host = host
        self.port = port
    }
}
