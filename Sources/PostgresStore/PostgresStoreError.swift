import NIOCore
import PostgresNIO

/// Why the PostgreSQL store cannot be used, said so that an admin knows what to do.
public enum PostgresStoreError: Error, CustomStringConvertible, Equatable {
    /// The server at the location (shown without its password) could not be reached or refused the login.
    case unreachable(String, reason: String)
    /// The database has a migration this version does not know: a newer Saffron migrated it.
    case newerSchema(migration: String)
    /// PostgreSQL refused or broke off an operation: its message and SQLSTATE (e.g. `23505`, a unique violation).
    case refused(String, sqlState: String?)
    /// The connection failed during an operation.
    case connectionFailed(String)

    public var description: String {
        switch self {
        case .unreachable(let location, let reason):
            "cannot use the database \(location): \(reason). Check database.url, the password "
                + "(SAFFRON_DATABASE_PASSWORD or database.passwordFile) and that PostgreSQL accepts this host"
        case .newerSchema(let migration):
            "the database has migration \"\(migration)\", which this Saffron does not know: a newer version "
                + "migrated it; run that version"
        case .refused(let message, let sqlState):
            "PostgreSQL refused: \(message)\(sqlState.map { " (SQLSTATE \($0))" } ?? "")"
        case .connectionFailed(let reason):
            "the connection to PostgreSQL failed: \(reason)"
        }
    }

    /// PostgreSQL's SQLSTATE, when it refused.
    var sqlState: String? {
        if case .refused(_, let state) = self { return state }
        return nil
    }

    /// Whether running the same transaction again may succeed: a deadlock or serialization failure, or (when
    /// `retryingConflicts`) a unique violation.
    func isTransient(retryingConflicts: Bool) -> Bool {
        switch sqlState {
        case "40001", "40P01": true
        case "23505": retryingConflicts
        default: false
        }
    }

    /// Runs `body`, turning postgres-nio's errors (whose description hides everything) into ones that say what
    /// PostgreSQL said. Store errors and the rest pass through.
    static func readable<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            if let message = error.serverInfo?[.message] {
                throw PostgresStoreError.refused(message, sqlState: error.serverInfo?[.sqlState])
            }
            throw PostgresStoreError.connectionFailed(reason(of: error))
        } catch let error as PostgresTransactionError {
            throw PostgresStoreError.connectionFailed("\(error)")
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
