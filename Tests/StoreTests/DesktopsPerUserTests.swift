import Foundation
import GRDB
import Testing

@testable import Store

/// Several desktops per user in a pool: a user gets their first one back unless they ask for another, and never
/// more than the pool allows.
@Suite struct DesktopsPerUserTests {
    func another(_ user: String) -> DesktopClaim {
        var request = claim(user)
        request.another = true
        return request
    }

    @Test(arguments: Backend.underTest)
    func aUserMayHoldUpToThePoolsLimitAndGetsTheFirstBackOtherwise(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        var policy = PoolPolicy()
        policy.maxSessionsPerUser = 2
        try await store.updatePolicy(policy, ofPool: "office")

        let first = try await store.claimDesktop(claim("alice")).session
        let second = try await store.claimDesktop(another("alice"))
        guard case .created(let made) = second else { Issue.record("another desktop was not created: \(second)"); return }
        #expect(made.vm != first.vm && made.publicPort != first.publicPort)
        #expect(try await store.claimDesktop(claim("alice")) == .existing(first), "without another: her first one")
        await #expect(throws: StoreError.sessionLimit(pool: "office", limit: 2)) {
            try await store.claimDesktop(another("alice"))
        }
        #expect(try await store.sessions().filter { $0.user == "alice" }.count == 2)
        #expect(try await store.claimDesktop(claim("bob")).session.vm == "desk3", "bob still gets the free VM")
    }

    @Test(arguments: Backend.underTest)
    func withTheDefaultLimitAnotherDesktopIsRefused(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        _ = try await store.claimDesktop(claim("alice"))
        await #expect(throws: StoreError.sessionLimit(pool: "office", limit: 1)) {
            try await store.claimDesktop(another("alice"))
        }
        var asFirst = another("bob")
        asFirst.newSessionID = "bob-1"
        #expect(try await store.claimDesktop(asFirst).session.id == "bob-1", "another with none held is a first one")
    }

    @Test func sessionsFromBeforeTheLimitSurviveTheMigration() async throws {
        let queue = try DatabaseQueue()
        try SQLiteMigrations.migrator.migrate(queue, upTo: "v4: template pools' GPU request and hypervisor hiding")
        try await queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO users (name, password_hash, is_admin, created_at) VALUES ('alice', 'x', 0, ?);
                    INSERT INTO pools (name, connect_uri, created_at) VALUES ('office', 'test:///default', ?);
                    INSERT INTO vms (name, pool_name, added_at) VALUES ('desk1', 'office', ?), ('desk2', 'office', ?);
                    INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state, created_at)
                    VALUES ('s1', 'alice', 'office', 'desk1', 20000, '10.0.0.2', 'ready', ?);
                    """,
                arguments: [Date(), Date(), Date(), Date(), Date()])
        }
        try SQLiteMigrations.migrator.migrate(queue)
        try await queue.write { db in
            #expect(try SQLiteStore.fetchPool(db, named: "office")?.policy.maxSessionsPerUser == 1)
            #expect(try SQLiteStore.fetchSession(db, where: "id = ?", arguments: ["s1"])?.vm == "desk1")
            try db.execute(
                sql: """
                    INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state, created_at)
                    VALUES ('s2', 'alice', 'office', 'desk2', 20001, '10.0.0.2', 'ready', ?)
                    """,
                arguments: [Date()])
            #expect(throws: DatabaseError.self, "one VM, one session, as before") {
                try db.execute(
                    sql: """
                        INSERT INTO sessions (id, user_name, pool_name, vm_name, public_port, client_address, state, created_at)
                        VALUES ('s3', 'alice', 'office', 'desk2', 20002, '10.0.0.2', 'ready', ?)
                        """,
                    arguments: [Date()])
            }
        }
    }
}
