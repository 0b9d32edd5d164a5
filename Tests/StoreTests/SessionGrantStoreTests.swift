import Foundation
import Store
import Testing

/// Browser-console tokens and phone links in the store: a window from first use, single use, gone with the session.
@Suite struct SessionGrantStoreTests {
    @Test(arguments: Backend.underTest)
    func grantsAreUsedAsTheirKindSaysAndGoWithTheirSession(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend)
        let other = try reopen()
        let session = try await store.claimDesktop(claim("alice")).session
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        try await store.addSessionGrant(
            SessionGrantRecord(hash: "w", kind: .webConsole, sessionID: session.id, user: "alice", expiresAt: start.addingTimeInterval(30)))
        try await store.addSessionGrant(
            SessionGrantRecord(hash: "p", kind: .phoneLink, sessionID: session.id, user: "alice", expiresAt: start.addingTimeInterval(120)))

        #expect(try await other.useSessionGrant(hash: "w", kind: .phoneLink, now: start, window: nil) == nil, "not a phone link")
        let first = try #require(try await other.useSessionGrant(hash: "w", kind: .webConsole, now: start.addingTimeInterval(5), window: 10))
        #expect(first.firstUsedAt == start.addingTimeInterval(5) && first.expiresAt == start.addingTimeInterval(15))
        let again = try await store.useSessionGrant(hash: "w", kind: .webConsole, now: start.addingTimeInterval(14), window: 10)
        #expect(again?.expiresAt == start.addingTimeInterval(15), "the window runs from the first use, on any broker")
        #expect(try await store.useSessionGrant(hash: "w", kind: .webConsole, now: start.addingTimeInterval(15), window: 10) == nil)

        #expect(try await other.useSessionGrant(hash: "p", kind: .phoneLink, now: start, window: nil)?.user == "alice")
        #expect(try await store.useSessionGrant(hash: "p", kind: .phoneLink, now: start, window: nil) == nil, "spent")

        try await store.addSessionGrant(
            SessionGrantRecord(hash: "w2", kind: .webConsole, sessionID: session.id, user: "alice", expiresAt: start.addingTimeInterval(30)))
        try await store.addSessionGrant(
            SessionGrantRecord(hash: "w3", kind: .webConsole, sessionID: session.id, user: "alice", expiresAt: start.addingTimeInterval(20)))
        #expect(try await store.deleteExpiredSessionGrants(now: start.addingTimeInterval(25)) == 1, "w3, expired unused")
        _ = try await store.deleteSession(id: session.id)
        #expect(try await store.useSessionGrant(hash: "w2", kind: .webConsole, now: start, window: 10) == nil, "gone with its session")
        #expect(try await store.deleteExpiredSessionGrants(now: start.addingTimeInterval(60)) == 0, "w2 went with the session")
    }
}
