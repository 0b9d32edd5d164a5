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
    /// The endpoint is sent a line naming the browser's address first (`ClientPreface`): the SPICE gateway, which
    /// checks the console credential against it.
    public var namesClient: Bool

    /// Creates a target for the given session and SPICE endpoint.
    public init(sessionID: String, host: String, port: Int, namesClient: Bool = false) {
        self.sessionID = sessionID
        self.host = host
        self.port = port
        self.namesClient = namesClient
    }

    /// What the endpoint is sent first for a browser at `client` (an IP address): the line naming it, or nothing.
    func preface(client: String?) -> [UInt8] {
        guard namesClient, let client else { return [] }
        return ClientPreface.line(client: GatewayConfiguration.plainIPv4(client), port: port)
    }
}
