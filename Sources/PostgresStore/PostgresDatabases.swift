import Logging
import NIOPosix
import PostgresNIO

/// Makes and drops whole databases on a PostgreSQL server, for the benchmarks' and tests' throwaway databases (the
/// login needs `CREATEDB`).
public enum PostgresDatabases {
    /// Creates the database `name` (lower-case letters, digits and `_`) on the server of `location`, logging in to
    /// `location`'s own database, and returns `location` naming the new one.
    public static func create(_ name: String, on location: PostgresLocation, logger: Logger) async throws -> PostgresLocation {
        try await run("CREATE DATABASE \(try identifier(name))", on: location, logger: logger)
        var created = location
        created.database = name
        return created
    }

    /// Drops the database `name`, closing its connections.
    public static func drop(_ name: String, on location: PostgresLocation, logger: Logger) async throws {
        try await run("DROP DATABASE IF EXISTS \(try identifier(name)) WITH (FORCE)", on: location, logger: logger)
    }

    private static func run(_ statement: String, on location: PostgresLocation, logger: Logger) async throws {
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try location.connectionConfiguration, id: 0,
            logger: logger
        ).get()
        defer { Task { try? await connection.close() } }
        try await PostgresStoreError.readable { try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger) }
    }

    /// `name` when it is safe to put into a statement as it is.
    private static func identifier(_ name: String) throws -> String {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else { throw PostgresLocationError("\(name.debugDescription) is not a database name of lower-case letters, digits and _") }
        return name
    }
}
