import Foundation

/// The knobs of handout: where clients are sent and how long their tickets live.
public struct BrokerSettings: Sendable {
    /// The gateway address `.vv` files carry and DNAT rules match.
    public var publicAddress: String
    /// The public ports leased to sessions, one each.
    public var portRange: ClosedRange<Int>
    /// How long a SPICE ticket from a `.vv` stays valid; it must cover the client opening all its channels.
    public var ticketValidity: TimeInterval
    /// The CONNECT proxy as clients reach it (`http://HOST:PORT`), written as `proxy=` into `.vv` files asked for
    /// through the proxy; nil when the broker runs no proxy.
    public var proxyURL: String?

    public init(publicAddress: String, portRange: ClosedRange<Int>, ticketValidity: TimeInterval, proxyURL: String? = nil) {
        self.publicAddress = publicAddress
        self.portRange = portRange
        self.ticketValidity = ticketValidity
        self.proxyURL = proxyURL
    }
}
