import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL database is and how to log in to it, read from a libpq-style URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=FILE]`, or
/// `postgres://USER@/DATABASE?host=/run/postgresql` for a Unix socket in that folder.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection uses TLS, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Never.
        case disable
        /// When the server offers it, without checking its certificate (libpq's default).
        case prefer
        /// Always, without checking the server's certificate.
        case require
        /// Always, checking the server's certificate chain (against `sslrootcert`, else the system's roots) and name.
        case verifyFull = "verify-full"
    }

    public var host: String?
    /// The folder holding the server's Unix socket, when connecting through one.
    public var socketFolder: String?
    public var port: Int
    public var user: String
    /// The password, if any; never shown by `description`.
    public var password: String?
    public var database: String
    public var tlsMode: TLSMode
    /// CA certificates (PEM) that sign the server's certificate, for `verify-full`.
    public var rootCertificates: String?

    /// Reads a URL; throws `PostgresLocationError` saying what is wrong with it.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw PostgresLocationError("\(Self.redacting(text)) is not a postgres:// URL") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let unknown = query.keys.sorted().first(where: { !["host", "port", "sslmode", "sslrootcert"].contains($0) }) {
            throw PostgresLocationError("unknown parameter \(unknown) in the database URL (known: host, sslmode, sslrootcert)")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw PostgresLocationError("the database URL names no user (postgres://USER@HOST/DATABASE)")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresLocationError("the database URL names no database (postgres://USER@HOST/DATABASE)")
        }
        self.user = user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        self.database = database.removingPercentEncoding ?? database
        self.port = components.port ?? Int(query["port"] ?? "") ?? 5432
        if let folder = query["host"], folder.hasPrefix("/") {
            socketFolder = folder
        } else if let host = components.host, !host.isEmpty {
            self.host = host
        } else {
            throw PostgresLocationError("the database URL names no host (postgres://USER@HOST/DATABASE, or ?host=/socket/folder)")
        }
        let mode = query["sslmode"] ?? TLSMode.prefer.rawValue
        guard let tlsMode = TLSMode(rawValue: mode) else {
            throw PostgresLocationError(
                "sslmode \(mode) is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.tlsMode = tlsMode
        rootCertificates = query["sslrootcert"]
    }

    /// The URL with its password left out, for logs and messages.
    public var description: String {
        var text = "postgres://\(user)@\(host ?? "")\(host != nil ? ":\(port)" : "")/\(database)"
        if let socketFolder { text += "?host=\(socketFolder)" }
        return text
    }

    /// postgres-nio's client configuration for this location.
    var clientConfiguration: PostgresClient.Configuration {
        get throws {
            var configuration: PostgresClient.Configuration
            if let socketFolder {
                configuration = .init(
                    unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            } else {
                configuration = .init(
                    host: host ?? "localhost", port: port, username: user, password: password, database: database,
                    tls: try clientTLS)
            }
            configuration.options.maximumConnections = 16
            return configuration
        }
    }

    /// postgres-nio's configuration of a single connection (the one migrations run on).
    var connectionConfiguration: PostgresConnection.Configuration {
        get throws {
            if let socketFolder {
                return .init(
                    unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password, database: database)
            }
            let tls: PostgresConnection.Configuration.TLS =
                switch try tls {
                case .disable: .disable
                case .prefer(let configuration): .prefer(try NIOSSLContext(configuration: configuration))
                case .require(let configuration): .require(try NIOSSLContext(configuration: configuration))
                }
            return .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: tls)
        }
    }

    /// The TLS settings of `tlsMode`.
    private var tls: TLSSetting {
        get throws {
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            switch tlsMode {
            case .disable: return .disable
            case .prefer: return .prefer(unchecked)
            case .require: return .require(unchecked)
            case .verifyFull:
                var checked = TLSConfiguration.makeClientConfiguration()
                if let rootCertificates {
                    checked.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(rootCertificates))
                }
                return .require(checked)
            }
        }
    }

    private enum TLSSetting {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        get throws {
            switch try tls {
            case .disable: .disable
            case .prefer(let configuration): .prefer(configuration)
            case .require(let configuration): .require(configuration)
            }
        }
    }

    /// `text` with any password between `:` and `@` replaced by `***`.
    static func redacting(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "(unreadable URL)"
    }
}

/// A database URL that cannot be used, with what to change.
public struct PostgresLocationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
