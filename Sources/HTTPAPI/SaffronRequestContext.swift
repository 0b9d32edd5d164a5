import Broker
import Foundation
import Hummingbird
import NIOCore
import Store

/// The request context of Saffron's routes: the caller's address and, once authenticated, who they are.
public struct SaffronRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer address of the connection, as the broker saw it.
    public let remoteAddress: SocketAddress?
    /// The user a valid bearer token identified; set by `BearerIdentityMiddleware`.
    public var user: UserRecord?
    /// The client's address as a trusted reverse proxy reported it; set by `TrustedProxyMiddleware`.
    var forwardedClientAddress: String?
    /// `http` or `https` as a trusted reverse proxy reported the client's scheme (`X-Forwarded-Proto`); set by
    /// `TrustedProxyMiddleware`.
    var forwardedScheme: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Request bodies are small JSON documents; anything larger is refused with 413.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The client's IP address as text, with IPv4-mapped IPv6 addresses given as plain IPv4: the connection's peer,
    /// or the address a trusted reverse proxy forwarded for.
    public var clientAddress: String? {
        if let forwardedClientAddress { return Self.plain(forwardedClientAddress) }
        guard let address = remoteAddress?.ipAddress else { return nil }
        return Self.plain(address)
    }

    private static func plain(_ address: String) -> String {
        address.hasPrefix("::ffff:") && address.contains(".") ? String(address.dropFirst(7)) : address
    }
}
