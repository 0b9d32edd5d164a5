import NIOCore
import PostgresNIO

/// Why the PostgreSQL store cannot be used, said so that an admin knows what to do.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    /// The server at the location (shown without its password) could not be reached or refused the login.
    case unreachable(String, reason: String)
    /// The database has a migration this version does not know: a newer Saffron migrated it.
    case newerSchema(migration: String)

    public var description: String {
        switch self {
        case .unreachable(let location, let reason):
            "cannot use the database \(location): \(reason). Check database.url, the password "
                + "(SAFFRON_DATABASE_PASSWORD or database.passwordFile) and that PostgreSQL accepts this host"
        case .newerSchema(let migration):
            "the database has migration \"\(migration)\", which this Saffron does not know: a newer version "
                + "migrated it; run that version"
        }
    }

    /// PostgreSQL's own message for a failure it reported, else the connection's error.
    static func reason(of error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
