import Foundation

/// A configuration problem, said so that the admin knows which key to fix.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

extension SaffronConfig {
    /// The config file used when neither `--config` nor `SAFFRON_CONFIG` names one.
    public static let defaultPath = "/etc/saffron/saffron.json"

    /// The environment variables that override keys of the file.
    public static let environmentKeys: [(variable: String, key: String)] = [
        ("SAFFRON_HTTP_LISTEN", "http.listen"),
        ("SAFFRON_HTTP_PUBLIC_URL", "http.publicURL"),
        ("SAFFRON_PUBLIC_ADDRESS", "gateway.publicAddress"),
        ("SAFFRON_PORT_RANGE", "gateway.portRange"),
        ("SAFFRON_WEBSOCKET_LISTEN", "websocket.listen"),
        ("SAFFRON_WEBSOCKET_PUBLIC_URL", "websocket.publicURL"),
        ("SAFFRON_PROXY_LISTEN", "proxy.listen"),
        ("SAFFRON_PROXY_PUBLIC_URL", "proxy.publicURL"),
        ("SAFFRON_SPICE_GATEWAY_LISTEN", "spiceGateway.listen"),
        ("SAFFRON_TLS_CERTIFICATE", "tls.certificate"),
        ("SAFFRON_TLS_KEY", "tls.key"),
        ("SAFFRON_SPICE_TLS_CA", "spice.tlsCA"),
        ("SAFFRON_SPICE_HOST_SUBJECT", "spice.hostSubject"),
        ("SAFFRON_FIREWALL_BACKEND", "firewall.backend"),
        ("SAFFRON_FIREWALL_MASQUERADE", "firewall.masquerade"),
        ("SAFFRON_DATABASE_PATH", "database.path"),
        ("SAFFRON_DATABASE_URL", "database.url"),
        ("SAFFRON_DATABASE_PASSWORD", "database.password"),
        ("SAFFRON_WEB_ROOT", "web.root"),
        ("SAFFRON_TICKET_VALIDITY_SECONDS", "tickets.validitySeconds"),
        ("SAFFRON_METRICS_TOKEN", "metrics.token"),
        ("SAFFRON_LDAP_BIND_PASSWORD", "ldap.bindPassword"),
        ("SAFFRON_NODE_NAME", "node.name"),
        ("SAFFRON_NODE_ROLES", "node.roles"),
    ]

    /// Reads the file at `path` (missing keys take their defaults, unknown keys are an error), applies the
    /// environment overrides, resolves a relative database path against the file's folder and validates the result.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SaffronConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(message: "Cannot read config file \(path). Create it with: saffron init --config \(path)")
        }
        var config = try decode(data, path: path)
        try config.applyEnvironment(environment)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        for keyPath in [\SaffronConfig.database.path, \SaffronConfig.web.root, \SaffronConfig.tls.certificate, \SaffronConfig.tls.key,
            \SaffronConfig.spice.tlsCA, \SaffronConfig.ldap.caFile, \SaffronConfig.database.passwordFile,
            \SaffronConfig.spiceGateway.certificate, \SaffronConfig.spiceGateway.key, \SaffronConfig.spiceGateway.ca]
        where !config[keyPath: keyPath].isEmpty && !config[keyPath: keyPath].hasPrefix("/") {
            config[keyPath: keyPath] = folder.appendingPathComponent(config[keyPath: keyPath]).standardizedFileURL.path
        }
        _ = try config.validated()
        return config
    }

    static func decode(_ data: Data, path: String) throws -> SaffronConfig {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigError(message: "\(path) is not a JSON object.")
        }
        let template = try JSONSerialization.jsonObject(with: JSONEncoder().encode(SaffronConfig())) as! [String: Any]
        for (section, value) in object {
            guard let known = template[section] as? [String: Any] else {
                throw ConfigError(message: "\(path): unknown section \"\(section)\"; known: \(template.keys.sorted().joined(separator: ", ")).")
            }
            guard let keys = value as? [String: Any] else { throw ConfigError(message: "\(path): \"\(section)\" must be an object.") }
            for key in keys.keys where known[key] == nil {
                throw ConfigError(message: "\(path): unknown key \"\(section).\(key)\"; known: \(known.keys.sorted().joined(separator: ", ")).")
            }
        }
        // Fill defaults for absent keys by merging onto the defaults.
        var merged = template
        for (section, value) in object {
            var keys = merged[section] as! [String: Any]
            for (key, item) in value as! [String: Any] { keys[key] = item }
            merged[section] = keys
        }
        do {
            return try JSONDecoder().decode(SaffronConfig.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch DecodingError.typeMismatch(_, let context) {
            throw ConfigError(message: "\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type.")
        }
    }

    mutating func applyEnvironment(_ environment: [String: String]) throws {
        func integer(_ variable: String, _ value: String) throws -> Int {
            guard let number = Int(value) else { throw ConfigError(message: "\(variable) must be a whole number, not \(value).") }
            return number
        }
        for (variable, _) in Self.environmentKeys {
            guard let value = environment[variable] else { continue }
            switch variable {
            case "SAFFRON_HTTP_LISTEN": http.listen = value
            case "SAFFRON_PUBLIC_ADDRESS": gateway.publicAddress = value
            case "SAFFRON_PORT_RANGE": gateway.portRange = value
            case "SAFFRON_WEBSOCKET_LISTEN": websocket.listen = value
            case "SAFFRON_WEBSOCKET_PUBLIC_URL": websocket.publicURL = value
            case "SAFFRON_PROXY_LISTEN": proxy.listen = value
            case "SAFFRON_PROXY_PUBLIC_URL": proxy.publicURL = value
            case "SAFFRON_TLS_CERTIFICATE": tls.certificate = value
            case "SAFFRON_TLS_KEY": tls.key = value
            case "SAFFRON_SPICE_TLS_CA": spice.tlsCA = value
            case "SAFFRON_SPICE_HOST_SUBJECT": spice.hostSubject = value
            case "SAFFRON_FIREWALL_BACKEND": firewall.backend = value
            case "SAFFRON_FIREWALL_MASQUERADE": firewall.masquerade = ["1", "true", "yes", "on"].contains(value.lowercased())
            case "SAFFRON_DATABASE_PATH": database.path = value
            case "SAFFRON_DATABASE_URL": database.url = value
            case "SAFFRON_DATABASE_PASSWORD": database.password = value
            case "SAFFRON_WEB_ROOT": web.root = value
            case "SAFFRON_TICKET_VALIDITY_SECONDS": tickets.validitySeconds = try integer(variable, value)
            case "SAFFRON_METRICS_TOKEN": metrics.token = value
            case "SAFFRON_LDAP_BIND_PASSWORD": ldap.bindPassword = value
            case "SAFFRON_NODE_NAME": node.name = value
            case "SAFFRON_NODE_ROLES":
                node.roles = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default: break
            }
        }
    }

    /// The config as pretty JSON, for `saffron init`.
    public func encodedForFile() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
