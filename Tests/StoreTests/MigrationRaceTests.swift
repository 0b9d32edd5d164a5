import Foundation
import Logging
import PostgresStore
import PostgresTestSupport
import Store
import Testing

/// Brokers starting at once on a new PostgreSQL database: each migration runs once, and every broker comes up.
@Suite struct MigrationRaceTests {
    @Test(arguments: Backend.underTest.filter { $0 == .postgres })
    func brokersStartingAtOnceMigrateOnce(_ backend: Backend) async throws {
        let location = try await TestPostgres.newDatabase()
        let stores = try (0..<6).map { _ in try PostgresStore(location: location, logger: TestPostgres.quietLogger) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.prepare() } }
            try await group.waitForAll()
        }
        for store in stores {
            try await store.addGroup(named: "g\(ObjectIdentifier(store).hashValue)", now: Date())
        }
        #expect(try await stores[0].groups().count == 6, "every broker works on the one schema")
    }

    @Test(arguments: Backend.underTest.filter { $0 == .postgres })
    func aDatabaseMigratedByANewerVersionIsRefused(_ backend: Backend) async throws {
        let location = try await TestPostgres.newDatabase()
        let store = try PostgresStore(location: location, logger: TestPostgres.quietLogger)
        try await store.prepare()
        try await store.addUser(UserRecord(name: "x", passwordHash: "-", isAdmin: false, createdAt: Date()))
        try await TestPostgres.run("INSERT INTO saffron_migrations (identifier) VALUES ('v99: from the future')", in: location)
        let reopened = try PostgresStore(location: location, logger: TestPostgres.quietLogger)
        await #expect(throws: PostgresStoreError.newerSchema(migration: "v99: from the future")) { try await reopened.prepare() }
    }

    @Test(arguments: Backend.underTest.filter { $0 == .postgres })
    func whatPostgreSQLRefusesSaysWhy(_ backend: Backend) async throws {
        let (store, _) = try await makeEmptyStore(backend)
        do {
            try await store.addToken(hash: "h", user: "nobody", expiresAt: Date())
            Issue.record("a token of no user was stored")
        } catch let error as PostgresStoreError {
            #expect("\(error)".contains("violates foreign key constraint") && "\(error)".contains("SQLSTATE 23503"), "\(error)")
        }
    }
}
