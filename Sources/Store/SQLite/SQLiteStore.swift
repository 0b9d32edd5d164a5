import Foundation
import GRDB

/// The SQLite backend of `Store`: one database file, migrated on open.
///
/// Writes run in `BEGIN IMMEDIATE` transactions, so concurrent claims from this process or another one (the CLI
/// and the server share the file) are serialized by SQLite itself.
public final class SQLiteStore: Store {
    let queue: DatabaseQueue

    /// Opens (creating if needed) the database at `path` and applies pending migrations. The file (and with it
    /// SQLite's `-wal` and `-shm`, which take its mode) is its owner's alone: it holds password hashes.
    public init(path: String) throws {
        try DatabaseFileMode.prepare(path)
        queue = try DatabaseQueue(path: path, configuration: Self.configuration())
        try SQLiteMigrations.migrator.migrate(queue)
    }

    /// Opens a private in-memory database, for tests.
    public init(inMemoryNamed name: String = "saffron") throws {
        queue = try DatabaseQueue(named: name, configuration: Self.configuration())
        try SQLiteMigrations.migrator.migrate(queue)
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            if !db.configuration.readonly {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                // In WAL mode NORMAL syncs at checkpoints, not at every commit: a crash of the broker or the CLI
                // loses nothing and a power cut at most the last commits, while a burst of handouts no longer
                // queues behind one fsync per claim.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        return configuration
    }

    /// Runs `body` in an immediate write transaction.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await queue.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await queue.read(body)
    }
}
