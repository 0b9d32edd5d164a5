import Foundation
import HTTPTypes
import Hummingbird

/// Takes the client's address from `X-Forwarded-For` when, and only when, the request comes from a trusted reverse
/// proxy, so that sessions are pinned (DNAT, CONNECT proxy) to the user's own address rather than the proxy's.
///
/// The header is read from the right: the proxies that appended to it are skipped while trusted, and the first
/// address that is not is the client. A header from anyone else is ignored, so it cannot be used to pose as
/// another address. From a trusted proxy, `X-Forwarded-Proto` also tells the scheme the client used (for links).
struct TrustedProxyMiddleware: RouterMiddleware {
    typealias Context = SaffronRequestContext
    let trusted: [AddressRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = context.clientAddress, self.isTrusted(peer) else {
            return try await next(request, context)
        }
        var context = context
        context.forwardedClientAddress = self.client(forwardedFor: request.headers[values: .xForwardedFor])
        context.forwardedScheme = Self.scheme(forwardedProto: request.headers[values: .xForwardedProto])
        return try await next(request, context)
    }

    /// `http` or `https` from the first `X-Forwarded-Proto` value (the scheme the first proxy was reached by).
    static func scheme(forwardedProto values: [String]) -> String? {
        let first = values.first?.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased()
        return first == "https" || first == "http" ? first : nil
    }

    /// The client named by the `X-Forwarded-For` values; nil when they hold no address or anything but addresses.
    func client(forwardedFor values: [String]) -> String? {
        let hops = values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        guard !hops.isEmpty, hops.allSatisfy(AddressRange.isAddress) else { return nil }
        return hops.last { !self.isTrusted($0) } ?? hops.first
    }

    private func isTrusted(_ address: String) -> Bool {
        self.trusted.contains { $0.contains(address) }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
