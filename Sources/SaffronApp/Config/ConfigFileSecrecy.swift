import Foundation

/// Keeps the config file's secrets (`ldap.bindPassword`, `metrics.token`, `database.password`) from every local account: `saffron init`
/// writes the file `0600` in a `0700` folder, and `serve` refuses a file others may read that holds one.
public enum ConfigFileSecrecy {
    /// The keys whose values are secrets, by section.
    static let secretKeys: [(section: String, key: String, variable: String)] = [
        ("ldap", "bindPassword", "SAFFRON_LDAP_BIND_PASSWORD"),
        ("metrics", "token", "SAFFRON_METRICS_TOKEN"),
        ("database", "password", "SAFFRON_DATABASE_PASSWORD"),
    ]

    /// Writes `config` as a new file at `path`, readable by its owner only, creating its folder (`0700`) if needed.
    public static func writeNew(_ config: SaffronConfig, to path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard FileManager.default.createFile(atPath: path, contents: try config.encodedForFile(), attributes: [.posixPermissions: 0o600])
        else { throw ConfigError(message: "Cannot write config file \(path).") }
    }

    /// Throws when the file at `path` can be read by accounts other than its owner and group and holds a secret,
    /// saying how to fix it.
    public static func check(path: String) throws {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, mode & 0o004 != 0,
            let data = FileManager.default.contents(atPath: path),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return }
        let held = secretKeys.filter { secret in
            ((object[secret.section] as? [String: Any])?[secret.key] as? String).map { !$0.isEmpty } ?? false
        }
        guard !held.isEmpty else { return }
        let keys = held.map { "\($0.section).\($0.key)" }.joined(separator: " and ")
        let variables = held.map(\.variable).joined(separator: " / ")
        throw ConfigError(
            message: "\(path) holds \(keys) and every local account can read it (mode \(String(mode & 0o777, radix: 8))). "
                + "Run: chmod 600 \(path) (or give the secret through \(variables) instead).")
    }
}
