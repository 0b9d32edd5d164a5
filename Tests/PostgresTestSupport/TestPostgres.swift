import Foundation
import Logging
import PostgresStore

/// The PostgreSQL server of the test run, on which each test gets a database of its own.
public enum TestPostgres {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String {
            "SAFFRON_TEST_POSTGRES_URL is not set: run README's test command, which starts a PostgreSQL cluster for the tests"
        }
    }

    public struct StatementFailed: Error, CustomStringConvertible {
        public let statement: String
        public var description: String { "psql could not run \(statement)" }
    }

    /// Whether the tests run against PostgreSQL too: when `SAFFRON_TEST_POSTGRES_URL` names a server to make
    /// databases on (README's test command starts one), and always in the end-to-end run, where a missing server
    /// fails the tests.
    public static var isUnderTest: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["SAFFRON_TEST_POSTGRES_URL"] != nil || environment["SAFFRON_E2E"] == "1"
    }

    /// A logger for errors only: the tests' stores migrate hundreds of databases.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "saffron.test.postgres")
        logger.logLevel = .error
        return logger
    }()

    /// Creates an empty database on the test server and returns where it is.
    public static func newDatabase() async throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["SAFFRON_TEST_POSTGRES_URL"] else { throw Missing() }
        let name = "saffron_test_\(UUID().uuidString.prefix(8).lowercased())"
        return try await PostgresDatabases.create(name, on: try PostgresLocation(url: url), logger: quietLogger)
    }

    /// Runs one statement in the database at `location`, as its admin would by hand.
    public static func run(_ statement: String, in location: PostgresLocation) async throws {
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
