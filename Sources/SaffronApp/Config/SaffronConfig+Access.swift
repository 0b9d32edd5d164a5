import Foundation
import Broker
import HTTPAPI

extension SaffronConfig {
    /// Where phone links point: `http.publicURL` checked (`http://` or `https://`, a host, no query), or the request's
    /// own URL where it is empty.
    public func publicBaseURL() throws -> PublicBaseURL {
        let servesTLS = !tls.certificate.isEmpty
        guard !http.publicURL.isEmpty else { return PublicBaseURL(servesTLS: servesTLS) }
        guard let url = URL(string: http.publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host?.isEmpty == false,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ConfigError(
                message: "http.publicURL must be http(s)://HOST[:PORT][/PATH] as people's browsers reach the broker, e.g. https://vdi.example, not \(http.publicURL.debugDescription).")
        }
        return PublicBaseURL(configured: http.publicURL, servesTLS: servesTLS)
    }
}

extension SaffronConfig {
    /// `libvirt.allowedURIs` checked: each a URI with a scheme, none empty.
    public func connectURIPolicy() throws -> ConnectURIPolicy {
        for uri in libvirt.allowedURIs {
            guard let parsed = URLComponents(string: uri), parsed.scheme?.isEmpty == false, !uri.contains(where: \.isWhitespace) else {
                throw ConfigError(
                    message: "libvirt.allowedURIs: \(uri.debugDescription) is not a libvirt connection URI (e.g. qemu:///system, qemu+tls://hv1.example/system).")
            }
        }
        return ConnectURIPolicy(allowed: libvirt.allowedURIs)
    }
}
