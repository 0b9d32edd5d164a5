import Foundation
import Broker
import Firewall
import HTTPAPI

/// The config's values parsed into the types the services take.
public struct ValidatedConfig: Sendable {
    public var listenHost: String
    public var listenPort: Int
    public var webSocketHost: String
    public var webSocketPort: Int
    public var portRange: ClosedRange<Int>
    public var ticketValidity: TimeInterval
    public var tokenLifetime: TimeInterval
    public var bcryptCost: UInt8
    /// The CONNECT proxy, when the config runs one.
    public var proxy: ProxyValues?
    /// The server certificate and key, when the API and the WebSocket gateway serve TLS.
    public var tls: (certificate: String, key: String)?
    /// SPICE TLS as clients are told of it, when `spice.tlsCA` is set.
    public var spiceTLS: SpiceTLSSettings?
    /// Reverse proxies whose `X-Forwarded-For` the API believes.
    public var trustedProxies: [AddressRange] = []
    /// The SPICE gateway, when the config runs one.
    public var spiceGateway: SpiceGatewayValues?

    /// Where the SPICE gateway listens, how clients reach it, and what it presents.
    public struct SpiceGatewayValues: Sendable {
        public var host: String
        public var port: Int
        public var publicHost: String
        public var publicPort: Int
        public var certificate: String
        public var key: String
        public var tls: SpiceTLSSettings
        public var credentialLifetime: TimeInterval
        public var secondViewer: String
        public var connectionsPerClient: Int
        /// The CONNECT proxy's public URL, when console files go through it.
        public var proxyURL: String?
    }

    /// Where the CONNECT proxy listens and how clients reach it.
    public struct ProxyValues: Sendable {
        public var host: String
        public var port: Int
        public var publicURL: String
        public var connectionsPerClient: Int
        public var idleTimeout: Duration
        public var grantLifetime: Duration
    }
}

extension SaffronConfig {
    /// Checks every value, with a message naming the key and what it should look like.
    public func validated() throws -> ValidatedConfig {
        let (host, port) = try Self.hostAndPort(http.listen, key: "http.listen", example: "127.0.0.1:8080")
        let (webSocketHost, webSocketPort) = try Self.hostAndPort(websocket.listen, key: "websocket.listen", example: "127.0.0.1:8081")
        guard websocket.publicURL.hasPrefix("ws://") || websocket.publicURL.hasPrefix("wss://"), !websocket.publicURL.hasSuffix("/") else {
            throw ConfigError(message: "websocket.publicURL must be ws://HOST[:PORT] or wss://... without a trailing slash, not \(websocket.publicURL.debugDescription).")
        }
        _ = try publicBaseURL()
        _ = try connectURIPolicy()
        _ = try postgresLocation()
        _ = try nodeRoles()
        let nodeCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_"))
        guard node.name.count <= 64, node.name.unicodeScalars.allSatisfy({ $0.isASCII && nodeCharacters.contains($0) }) else {
            throw ConfigError(message: "node.name takes at most 64 letters, digits, dots, dashes and underscores, not \(node.name.debugDescription).")
        }
        guard (1...65535).contains(websocket.connectionsPerClient) else {
            throw ConfigError(message: "websocket.connectionsPerClient must be 1 to 65535, not \(websocket.connectionsPerClient).")
        }
        let bounds = gateway.portRange.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard bounds.count == 2, let first = bounds[0], let last = bounds[1], 1 <= first, first <= last, last <= 65535 else {
            throw ConfigError(message: "gateway.portRange must be FIRST-LAST within 1-65535, e.g. 20000-20999, not \(gateway.portRange.debugDescription).")
        }
        guard !gateway.publicAddress.isEmpty else { throw ConfigError(message: "gateway.publicAddress must be set.") }
        _ = try httpConnectionLimits(openFiles: nil)
        guard ["iptables", "nftables", "none"].contains(firewall.backend) else {
            throw ConfigError(
                message: "firewall.backend must be \"iptables\", \"nftables\" or \"none\", not \(firewall.backend.debugDescription).")
        }
        do {
            _ = try IptablesRuleset(chain: firewall.chain)
            _ = try NftablesRuleset(table: firewall.table)
        } catch {
            throw ConfigError(message: "firewall: \(error)")
        }
        guard (5...86400).contains(tickets.validitySeconds) else {
            throw ConfigError(message: "tickets.validitySeconds must be 5 to 86400 (it must cover the client opening all SPICE channels).")
        }
        guard (0...36_500).contains(audit.retentionDays) else {
            throw ConfigError(message: "audit.retentionDays must be 0 (keep everything) to 36500.")
        }
        guard auth.tokenLifetimeSeconds > 0 else { throw ConfigError(message: "auth.tokenLifetimeSeconds must be positive.") }
        guard (4...31).contains(auth.bcryptCost) else { throw ConfigError(message: "auth.bcryptCost must be 4 to 31.") }
        guard !auth.methods.isEmpty, Set(auth.methods).count == auth.methods.count,
            auth.methods.allSatisfy(["local", "pam", "ldap"].contains)
        else {
            throw ConfigError(
                message: "auth.methods must list \"local\", \"pam\" and/or \"ldap\" once each, in the order to try them, not \(auth.methods).")
        }
        if auth.methods.contains("ldap") {
            guard ldap.uri.hasPrefix("ldap://") || ldap.uri.hasPrefix("ldaps://") else {
                throw ConfigError(message: "ldap.uri must be ldap://HOST[:PORT] or ldaps://HOST[:PORT] for the ldap method, not \(ldap.uri.debugDescription).")
            }
            if !ldap.userDN.isEmpty, !ldap.userDN.contains("{user}") {
                throw ConfigError(message: "ldap.userDN must hold {user}, e.g. uid={user},ou=people,dc=example,dc=org or {user}@corp.example.")
            }
            guard (!ldap.userDN.isEmpty || !ldap.userBase.isEmpty), ldap.userFilter.contains("{user}") else {
                throw ConfigError(message: "ldap.userBase (or ldap.userDN) must be set, and ldap.userFilter must hold {user}, e.g. (uid={user}).")
            }
            if ldap.startTLS, ldap.uri.hasPrefix("ldaps://") {
                throw ConfigError(message: "ldap.startTLS is for ldap:// URIs; ldaps:// is TLS already.")
            }
        }
        guard !auth.pamService.isEmpty, !auth.pamService.contains("/") else {
            throw ConfigError(message: "auth.pamService must name a file of /etc/pam.d, not \(auth.pamService.debugDescription).")
        }
        let trusted = try http.trustedProxies.map { text in
            guard let range = AddressRange(text) else {
                throw ConfigError(
                    message: "http.trustedProxies: \(text.debugDescription) is not an address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/24, fd00::/8).")
            }
            return range
        }
        var values = ValidatedConfig(
            listenHost: host, listenPort: port, webSocketHost: webSocketHost, webSocketPort: webSocketPort, portRange: first...last,
            ticketValidity: TimeInterval(tickets.validitySeconds), tokenLifetime: TimeInterval(auth.tokenLifetimeSeconds),
            bcryptCost: UInt8(auth.bcryptCost), proxy: try validatedProxy(), tls: try validatedTLS(), spiceTLS: try validatedSpiceTLS())
        values.trustedProxies = trusted
        values.spiceGateway = try validatedSpiceGateway(proxyURL: values.proxy?.publicURL)
        return values
    }

    private func validatedSpiceTLS() throws -> SpiceTLSSettings? {
        guard !spice.tlsCA.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: spice.tlsCA),
            let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN CERTIFICATE-----")
        else {
            throw ConfigError(message: "spice.tlsCA \(spice.tlsCA) is not a readable PEM certificate (the CA of the SPICE servers' certificates).")
        }
        guard !spice.hostSubject.contains(where: \.isNewline) else {
            throw ConfigError(message: "spice.hostSubject must be one line, e.g. O=Saffron,CN=hv1.example.")
        }
        return SpiceTLSSettings(caPEM: pem, hostSubject: spice.hostSubject.isEmpty ? nil : spice.hostSubject)
    }

    private func validatedSpiceGateway(proxyURL: String?) throws -> ValidatedConfig.SpiceGatewayValues? {
        let settings = spiceGateway
        guard !settings.listen.isEmpty else { return nil }
        let (host, port) = try Self.hostAndPort(settings.listen, key: "spiceGateway.listen", example: "0.0.0.0:5900")
        let certificate = settings.certificate.isEmpty ? tls.certificate : settings.certificate
        let key = settings.key.isEmpty ? tls.key : settings.key
        guard !certificate.isEmpty, !key.isEmpty else {
            throw ConfigError(message: "The SPICE gateway serves TLS only: set spiceGateway.certificate and spiceGateway.key (or tls.certificate and tls.key; saffron tls init makes them).")
        }
        let caPath = settings.ca.isEmpty ? spice.tlsCA : settings.ca
        guard !caPath.isEmpty, let data = FileManager.default.contents(atPath: caPath),
            let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN CERTIFICATE-----")
        else {
            throw ConfigError(message: "spiceGateway.ca (or spice.tlsCA) must name a readable PEM CA certificate, the one clients trust for the gateway's certificate, not \(caPath.debugDescription).")
        }
        guard !settings.hostSubject.contains(where: \.isNewline) else {
            throw ConfigError(message: "spiceGateway.hostSubject must be one line, e.g. O=Saffron,CN=gateway.example.")
        }
        guard (0...65535).contains(settings.publicPort) else {
            throw ConfigError(message: "spiceGateway.publicPort must be 1 to 65535, or 0 for the port of spiceGateway.listen.")
        }
        guard (60...(30 * 86400)).contains(settings.credentialLifetimeSeconds) else {
            throw ConfigError(message: "spiceGateway.credentialLifetimeSeconds must be 60 to 2592000 (30 days).")
        }
        guard ["replace", "refuse"].contains(settings.secondViewer) else {
            throw ConfigError(message: "spiceGateway.secondViewer must be \"replace\" or \"refuse\", not \(settings.secondViewer.debugDescription).")
        }
        guard (1...65535).contains(settings.connectionsPerClient) else {
            throw ConfigError(message: "spiceGateway.connectionsPerClient must be 1 to 65535.")
        }
        let publicHost = settings.publicHost.isEmpty ? gateway.publicAddress : settings.publicHost
        if settings.viaProxy {
            guard proxyURL != nil else {
                throw ConfigError(message: "spiceGateway.viaProxy sends clients through the CONNECT proxy: set proxy.listen too.")
            }
            guard let address = AddressRange(publicHost), !publicHost.contains("/"), address.contains(publicHost) else {
                throw ConfigError(message: "With spiceGateway.viaProxy, the gateway's public host must be an IP address (the proxy opens addresses only), not \(publicHost.debugDescription).")
            }
        }
        return .init(
            host: host, port: port, publicHost: publicHost,
            publicPort: settings.publicPort == 0 ? port : settings.publicPort, certificate: certificate, key: key,
            tls: SpiceTLSSettings(caPEM: pem, hostSubject: settings.hostSubject.isEmpty ? nil : settings.hostSubject),
            credentialLifetime: TimeInterval(settings.credentialLifetimeSeconds), secondViewer: settings.secondViewer,
            connectionsPerClient: settings.connectionsPerClient, proxyURL: settings.viaProxy ? proxyURL : nil)
    }

    private func validatedTLS() throws -> (certificate: String, key: String)? {
        switch (tls.certificate.isEmpty, tls.key.isEmpty) {
        case (true, true): return nil
        case (false, false): break
        default: throw ConfigError(message: "Set both tls.certificate and tls.key (saffron tls init makes them), or neither.")
        }
        guard websocket.publicURL.hasPrefix("wss://") else {
            throw ConfigError(message: "With tls set, websocket.publicURL must be wss://HOST:PORT: pages served over HTTPS may not open ws:// connections.")
        }
        return (tls.certificate, tls.key)
    }

    private func validatedProxy() throws -> ValidatedConfig.ProxyValues? {
        guard !proxy.listen.isEmpty else { return nil }
        let (host, port) = try Self.hostAndPort(proxy.listen, key: "proxy.listen", example: "0.0.0.0:3128")
        let publicURL = proxy.publicURL.isEmpty ? "http://\(gateway.publicAddress):\(port)" : proxy.publicURL
        guard publicURL.hasPrefix("http://"), !publicURL.hasSuffix("/"), publicURL.count > 7,
            !publicURL.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw ConfigError(message: "proxy.publicURL must be http://HOST:PORT without a trailing slash, not \(publicURL.debugDescription).")
        }
        guard (1...65535).contains(proxy.connectionsPerClient) else {
            throw ConfigError(message: "proxy.connectionsPerClient must be 1 to 65535.")
        }
        guard proxy.idleTimeoutSeconds > 0 else { throw ConfigError(message: "proxy.idleTimeoutSeconds must be positive.") }
        guard (0...86400).contains(proxy.grantLifetimeSeconds) else {
            throw ConfigError(message: "proxy.grantLifetimeSeconds must be 0 (ask the store for every tunnel) to 86400.")
        }
        return .init(
            host: host, port: port, publicURL: publicURL, connectionsPerClient: proxy.connectionsPerClient,
            idleTimeout: .seconds(proxy.idleTimeoutSeconds), grantLifetime: .seconds(proxy.grantLifetimeSeconds))
    }

    /// Splits `HOST:PORT` (IPv6 hosts in brackets), naming `key` in the error.
    static func hostAndPort(_ value: String, key: String, example: String) throws -> (String, Int) {
        guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port) else {
            throw ConfigError(message: "\(key) must be HOST:PORT, e.g. \(example), not \(value.debugDescription).")
        }
        return (String(value[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
    }
}
