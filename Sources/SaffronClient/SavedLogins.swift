import Foundation

/// Login tokens `saffron login` keeps per broker, in `$XDG_CONFIG_HOME/saffron/logins.json` (else
/// `~/.config/saffron/logins.json`), readable by the owner only. No password is ever kept.
public struct SavedLogins: Sendable {
    /// One broker's login.
    public struct Login: Codable, Sendable, Equatable {
        public var user: String
        public var token: String
        public var expiresAt: Date

        public init(user: String, token: String, expiresAt: Date) {
            self.user = user
            self.token = token
            self.expiresAt = expiresAt
        }
    }

    /// The file the logins live in.
    public let path: String

    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path {
            self.path = path
        } else {
            let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
            self.path = base + "/saffron/logins.json"
        }
    }

    /// The saved login for `server`, if it has not expired.
    public func login(for server: String, now: Date = Date()) throws -> Login? {
        try all()[Self.key(server)].flatMap { $0.expiresAt > now ? $0 : nil }
    }

    /// Saves (or, with nil, forgets) the login for `server`.
    public func save(_ login: Login?, for server: String) throws {
        var logins = try all()
        logins[Self.key(server)] = login
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(logins)
        // Written to a private temporary file first, then renamed: the token is never readable by others.
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw RemoteError.usage("Cannot write \(temporary).")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw RemoteError.usage("Cannot save the login to \(path): \(String(cString: strerror(errno))).")
        }
    }

    private func all() throws -> [String: Login] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode([String: Login].self, from: data)
        } catch {
            throw RemoteError.usage("\(path) is damaged (\(error)); delete it and log in again.")
        }
    }

    /// Servers are keyed without a trailing slash.
    private static func key(_ server: String) -> String {
        server.hasSuffix("/") ? String(server.dropLast()) : server
    }
}
