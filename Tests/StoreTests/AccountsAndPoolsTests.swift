import Foundation
import Store
import Testing

@Suite struct AccountsAndPoolsTests {
    @Test(arguments: Backend.underTest)
    func duplicateNamesAreRefused(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        await #expect(throws: StoreError.userExists("alice")) {
            try await store.addUser(UserRecord(name: "alice", passwordHash: "y", isAdmin: true, createdAt: Date()))
        }
        await #expect(throws: StoreError.poolExists("office")) {
            try await store.addPool(PoolRecord(name: "office", connectURI: "x", createdAt: Date()))
        }
    }

    @Test(arguments: Backend.underTest)
    func aVMBelongsToOnePoolAndAddingIsAllOrNothing(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        try await store.addPool(PoolRecord(name: "lab", connectURI: "x", createdAt: Date()))
        await #expect(throws: StoreError.vmInPool(vm: "desk2", pool: "office")) {
            try await store.addVMs(["lab1", "desk2"], toPool: "lab", now: Date())
        }
        #expect(try await store.vms(inPool: "lab").isEmpty)
        await #expect(throws: StoreError.poolNotFound("nope")) { try await store.addVMs(["x"], toPool: "nope", now: Date()) }
    }

    @Test(arguments: Backend.underTest)
    func tokensWorkUntilTheyExpire(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let now = Date()
        try await store.addToken(hash: "h1", user: "alice", expiresAt: now.addingTimeInterval(60))
        try await store.addToken(hash: "h2", user: "bob", expiresAt: now.addingTimeInterval(-1))
        #expect(try await store.user(forTokenHash: "h1", now: now)?.name == "alice")
        #expect(try await store.user(forTokenHash: "h2", now: now) == nil)
        #expect(try await store.user(forTokenHash: "nope", now: now) == nil)
        #expect(try await store.deleteExpiredTokens(now: now) == 1)
        try await store.deleteToken(hash: "h1")
        #expect(try await store.user(forTokenHash: "h1", now: now) == nil)
    }
}
