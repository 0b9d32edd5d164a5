import Foundation
import Store
import Testing

/// Groups, grants and who may use which pool, on every backend.
@Suite struct GrantsAndGroupsStoreTests {
    @Test(arguments: Backend.underTest)
    func poolsReachUsersDirectlyThroughGroupsAndThroughTheirDirectory(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, users: ["alice", "bob", "carol"])
        for pool in ["lab", "cad", "all"] {
            try await store.addPool(PoolRecord(name: pool, connectURI: "test:///default", createdAt: Date()))
        }
        try await store.addGroup(named: "staff", now: Date())
        await #expect(throws: StoreError.groupExists("staff")) { try await store.addGroup(named: "staff", now: Date()) }
        try await store.addMembers(["alice", "bob"], toGroup: "staff")
        try await store.addMembers(["alice"], toGroup: "staff")  // already in: no change
        await #expect(throws: StoreError.userNotFound("nobody")) { try await store.addMembers(["carol", "nobody"], toGroup: "staff") }
        #expect(try await store.groups().map(\.members) == [["alice", "bob"]], "all or nothing: carol was not added")

        try await store.grantPool("lab", to: .group("staff"))
        try await store.grantPool("cad", to: .user("carol"))
        try await store.grantPool("cad", to: .user("carol"))  // again: no change
        try await store.grantPool("all", to: .everyone)
        try await store.addGroup(named: "designers", now: Date())  // no members: a directory's group of that name
        try await store.grantPool("lab", to: .group("designers"))
        #expect(try await store.entitledPools(ofUser: "alice") == ["all", "lab"])
        #expect(try await store.entitledPools(ofUser: "carol") == ["all", "cad"])
        try await store.setDirectoryGroups(["designers", "designers"], ofUser: "carol")
        #expect(try await store.entitledPools(ofUser: "carol") == ["all", "cad", "lab"])
        try await store.setDirectoryGroups([], ofUser: "carol")
        #expect(try await store.entitledPools(ofUser: "carol") == ["all", "cad"])

        let grants = try await store.poolGrants()
        #expect(grants["cad"] == [.user("carol")] && grants["all"] == [.everyone])
        #expect(Set(grants["lab"] ?? []) == [.group("staff"), .group("designers")])
        #expect(grants["office"] == nil)
        await #expect(throws: StoreError.poolNotFound("nope")) { try await store.grantPool("nope", to: .everyone) }
        await #expect(throws: StoreError.userNotFound("zed")) { try await store.grantPool("lab", to: .user("zed")) }

        #expect(try await store.revokePool("cad", from: .user("carol")))
        #expect(try await store.revokePool("cad", from: .user("carol")) == false)
        try await store.removeMembers(["bob"], fromGroup: "staff")
        #expect(try await store.entitledPools(ofUser: "bob") == ["all"])
        try await store.deleteGroup(named: "staff")
        #expect(try await store.entitledPools(ofUser: "alice") == ["all"])
        #expect(try await store.groups().map(\.name) == ["designers"])
        await #expect(throws: StoreError.groupNotFound("staff")) { try await store.deleteGroup(named: "staff") }
        await #expect(throws: StoreError.groupNotFound("staff")) { try await store.removeMembers(["bob"], fromGroup: "staff") }
    }

    @Test(arguments: Backend.underTest)
    func usersChangeAndLeaveWithWhatIsTheirs(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let now = Date()
        try await store.addToken(hash: "t", user: "alice", expiresAt: now.addingTimeInterval(60))
        try await store.updateUser(named: "alice", isAdmin: true, isAuditor: nil, passwordHash: nil)
        #expect(try await store.user(forTokenHash: "t", now: now)?.isAdmin == true, "a role change keeps her signed in")
        try await store.updateUser(named: "alice", isAdmin: nil, isAuditor: true, passwordHash: "new")
        let alice = try #require(try await store.user(named: "alice"))
        #expect(alice.isAdmin && alice.isAuditor && alice.passwordHash == "new")
        #expect(try await store.user(forTokenHash: "t", now: now) == nil, "a new password signs her out")
        await #expect(throws: StoreError.userNotFound("zed")) {
            try await store.updateUser(named: "zed", isAdmin: true, isAuditor: nil, passwordHash: nil)
        }

        let session = try await store.claimDesktop(claim("bob")).session
        await #expect(throws: StoreError.userHasSessions("bob", sessions: 1)) { try await store.deleteUser(named: "bob") }
        _ = try await store.deleteSession(id: session.id)
        try await store.grantPool("office", to: .user("bob"))
        try await store.deleteUser(named: "bob")
        #expect(try await store.users().map(\.name) == ["alice"])
        #expect(try await store.poolGrants()["office"] == nil, "his grants went with him")
        await #expect(throws: StoreError.userNotFound("bob")) { try await store.deleteUser(named: "bob") }
    }
}
