import Foundation
import Logging
import PostgresNIO
import Store

/// The PostgreSQL backend of `Store`, for several brokers sharing one database.
///
/// Every operation is one transaction on a pooled connection. Claims lock their pool's row (`FOR UPDATE`), so two
/// brokers serialize on a pool, never on the whole database; the unique constraints on a VM's session and a public
/// port are the last word, and a claim that loses a race on them is tried again.
public final class PostgresStore: Store {
    let client: PostgresClient
    let logger: Logger
    /// The client's background work (`PostgresClient.run()`), cancelled when the store goes away.
    private let running: Task<Void, Never>
    /// The schema migration, run once before the first operation.
    private let migrated: Task<Void, any Error>

    let location: PostgresLocation
    /// The `application_name` of this store's connections: `name` and a random suffix, unique to this instance, so
    /// that PostgreSQL's own views tell brokers apart and this store skips the session changes it announced itself.
    let applicationName: String

    /// Connects to the database at `location` and migrates its schema before the first operation (`prepare()`
    /// waits for that and reports a failure at once). `name` shows in PostgreSQL's `pg_stat_activity`.
    public init(
        location: PostgresLocation, name: String = "saffron", logger: Logger = Logger(label: "saffron.postgres")
    ) throws {
        let applicationName = "\(name.prefix(40)) \(UUID().uuidString.prefix(8).lowercased())"
        var configuration = try location.clientConfiguration
        configuration.options.additionalStartupParameters = [("application_name", applicationName)]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.location = location
        self.applicationName = applicationName
        self.logger = logger
        running = Task { await client.run() }
        migrated = Task { try await PostgresMigrations.migrate(location, logger: logger) }
    }

    deinit {
        running.cancel()
    }

    /// Waits until the database is reachable and its schema current; throws what stopped it.
    public func prepare() async throws {
        try await migrated.value
    }

    /// Closes the store's connections.
    public func close() {
        running.cancel()
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws. A transaction that
    /// PostgreSQL broke off for a deadlock or a serialization failure is run again (up to `attempts` times), as is
    /// one that lost a unique-constraint race when `retryingConflicts` (a claim that picked a port or VM another
    /// claim took first).
    func transaction<T: Sendable>(
        retryingConflicts: Bool = false, attempts: Int = 20,
        _ body: @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        try await prepare()
        var attempt = 1
        while true {
            do {
                return try await PostgresStoreError.readable {
                    try await client.withConnection { connection in try await Self.inTransaction(connection, logger, body) }
                }
            } catch let error as PostgresStoreError where attempt < attempts && error.isTransient(retryingConflicts: retryingConflicts) {
                attempt += 1
            }
        }
    }

    /// `BEGIN`, `body`, then `COMMIT`, or `ROLLBACK` when it throws.
    private static func inTransaction<T: Sendable>(
        _ connection: PostgresConnection, _ logger: Logger, _ body: @Sendable (PostgresConnection, Logger) async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let value = try await body(connection, logger)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Runs `body` on one connection outside an explicit transaction (a single read).
    func read<T: Sendable>(_ body: @Sendable (PostgresConnection, Logger) async throws -> T) async throws -> T {
        try await prepare()
        return try await PostgresStoreError.readable {
            try await client.withConnection { connection in try await body(connection, logger) }
        }
    }

    /// Runs `body`, one statement that changes something, without `BEGIN` and `COMMIT` (PostgreSQL makes a lone
    /// statement its own transaction): a third of the round trips, on paths every handout takes.
    func statement<T: Sendable>(_ body: @Sendable (PostgresConnection, Logger) async throws -> T) async throws -> T {
        try await read(body)
    }
}


extension PostgresConnection {
    /// Runs `query` and returns all its rows, ready to read by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        try await self.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// Runs `query` and returns its first row, if any.
    func row(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRandomAccessRow? {
        try await rows(query, logger: logger).first
    }

    /// Runs `query` and returns the first column of each row.
    func values<T: PostgresDecodable>(_ type: T.Type, _ query: PostgresQuery, logger: Logger) async throws -> [T] {
        try await self.query(query, logger: logger).collect().map { try $0.makeRandomAccess()[0].decode(T.self) }
    }

    /// Runs `query` (an `INSERT`, `UPDATE` or `DELETE` ending in `RETURNING 1`) and returns how many rows it touched.
    func count(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        try await self.query(query, logger: logger).collect().count
    }

    /// Runs `query` for its effect.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `name`.
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try self[name].decode(T.self)
    }
}
