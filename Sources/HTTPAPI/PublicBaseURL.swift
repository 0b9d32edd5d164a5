import Broker
import Hummingbird

/// Where links the broker hands out for other devices (phone links) point: the configured public URL, or else the
/// URL this request came to, with the scheme the client used (`https` when the broker serves TLS, or what a trusted
/// reverse proxy says in `X-Forwarded-Proto`) and the request's `Host`.
public struct PublicBaseURL: Sendable, Equatable {
    /// `http.publicURL` without a trailing slash, e.g. `https://vdi.example`; nil: taken from each request.
    public var configured: String?
    /// Whether the API itself is served over TLS (`tls.certificate`).
    public var servesTLS: Bool

    public init(configured: String? = nil, servesTLS: Bool = false) {
        self.configured = configured.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.flatMap { $0.isEmpty ? nil : $0 }
        self.servesTLS = servesTLS
    }

    /// The base URL for links made while serving a request sent to `authority` (its `Host`) with `scheme` as a trusted
    /// reverse proxy reported it; a `Host` that is not a plain `host[:port]` is refused.
    func base(authority: String?, scheme forwardedScheme: String?) throws -> String {
        if let configured { return configured }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        guard let host = authority, !host.isEmpty, host.allSatisfy(allowed.contains) else {
            throw BrokerError.badRequest("The request's Host is missing or not a plain host[:port]; set http.publicURL.")
        }
        let scheme = forwardedScheme ?? (servesTLS ? "https" : "http")
        return "\(scheme)://\(host)"
    }
}
