import Foundation
import Logging
import PostgresStore
import Store

extension SaffronConfig {
    /// The PostgreSQL database `database.url` names, its password taken from `database.password`
    /// (`SAFFRON_DATABASE_PASSWORD`), else the first line of `database.passwordFile`, else the URL; nil when `url` is
    /// empty (the SQLite file at `database.path`).
    public func postgresLocation() throws -> PostgresLocation? {
        guard !database.url.isEmpty else { return nil }
        var location: PostgresLocation
        do {
            location = try PostgresLocation(url: database.url)
        } catch let error as PostgresLocationError {
            throw ConfigError(message: "database.url: \(error).")
        }
        if !database.password.isEmpty {
            location.password = database.password
        } else if !database.passwordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: database.passwordFile),
                let text = String(data: data, encoding: .utf8),
                let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty
            else {
                throw ConfigError(message: "database.passwordFile \(database.passwordFile) cannot be read or its first line is empty.")
            }
            location.password = String(line)
        }
        return location
    }

    /// Where the broker keeps its state, for messages: the PostgreSQL URL without its password, or the SQLite file.
    public var databaseDescription: String {
        (try? postgresLocation())?.map(\.description) ?? database.path
    }

    /// Opens the configured store: the PostgreSQL database of `database.url` when set, else the SQLite file at
    /// `database.path` (migrated at once). A PostgreSQL store migrates before its first operation; `prepare()` it to
    /// fail at start.
    public func openStore(logger: Logger = Logger(label: "saffron")) throws -> any Store {
        if let location = try postgresLocation() {
            return try PostgresStore(location: location, name: "saffron \(nodeName)", logger: logger)
        }
        return try SQLiteStore(path: database.path)
    }
}
