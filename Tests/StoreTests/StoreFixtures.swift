import Foundation
import Logging
import PostgresStore
import PostgresTestSupport
import Store
import Testing

/// The backends every store test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `TestPostgres.isUnderTest`.
    static var underTest: [Backend] {
        TestPostgres.isUnderTest ? allCases : [.sqlite]
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
