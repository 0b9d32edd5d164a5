import Foundation
import Logging
import Store
import Testing

import PostgresStore

/// The backends every store test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `SAFFRON_TEST_POSTGRES_URL` names a server to make databases on (README's test
    /// command starts one), and always in the end-to-end run, where a missing server fails the tests.
    static var underTest: [Backend] {
        let environment = ProcessInfo.processInfo.environment
        return environment["SAFFRON_TEST_POSTGRES_URL"] != nil || environment["SAFFRON_E2E"] == "1" ? allCases : [.sqlite]
    }
}

/// A fresh, empty store of `backend`, and a way to open the same database again.
func makeEmptyStore(_ backend: Backend) async throws -> (store: any Store, reopen: @Sendable () throws -> any Store) {
    switch backend {
    case .sqlite:
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-store-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("saffron.sqlite").path
        return (try SQLiteStore(path: path), { try SQLiteStore(path: path) })
    case .postgres:
        let location = try await TestPostgres.newDatabase()
        let store = try PostgresStore(location: location, logger: TestPostgres.quietLogger)
        try await store.prepare()
        return (store, { try PostgresStore(location: location, logger: TestPostgres.quietLogger) })
    }
}

/// A fresh store of `backend` with one pool of three VMs and a few users.
func makeStore(
    _ backend: Backend, vms: [String] = ["desk1", "desk2", "desk3"], users: [String] = ["alice", "bob"]
) async throws -> (store: any Store, reopen: @Sendable () throws -> any Store) {
    let (store, reopen) = try await makeEmptyStore(backend)
    for name in users {
        try await store.addUser(UserRecord(name: name, passwordHash: "x", isAdmin: false, createdAt: Date()))
    }
    try await store.addPool(PoolRecord(name: "office", connectURI: "test:///default", createdAt: Date()))
    try await store.addVMs(vms, toPool: "office", now: Date())
    return (store, reopen)
}

func claim(_ user: String, ports: ClosedRange<Int> = 20000...20009, client: String = "10.0.0.2") -> DesktopClaim {
    DesktopClaim(user: user, pool: "office", clientAddress: client, portRange: ports)
}

/// The PostgreSQL server of the test run, on which each test gets a database of its own.
enum TestPostgres {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "SAFFRON_TEST_POSTGRES_URL is not set: run README's test command, which starts a PostgreSQL cluster for the tests"
        }
    }

    struct StatementFailed: Error, CustomStringConvertible {
        let statement: String
        var description: String { "psql could not run \(statement)" }
    }

    /// A logger for errors only: the tests' stores migrate hundreds of databases.
    static let quietLogger: Logger = {
        var logger = Logger(label: "saffron.test.postgres")
        logger.logLevel = .error
        return logger
    }()

    /// Creates an empty database on the test server and returns where it is.
    static func newDatabase() async throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["SAFFRON_TEST_POSTGRES_URL"] else { throw Missing() }
        let name = "saffron_test_\(UUID().uuidString.prefix(8).lowercased())"
        return try await PostgresDatabases.create(name, on: try PostgresLocation(url: url), logger: quietLogger)
    }

    /// Runs one statement in the database at `location`, as its admin would by hand.
    static func run(_ statement: String, in location: PostgresLocation) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "runuser", "-u", "postgres", "--", "psql", "-h", location.socketFolder ?? "", "-d", location.database, "-q", "-c", statement,
        ]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw StatementFailed(statement: statement) }
    }
}
