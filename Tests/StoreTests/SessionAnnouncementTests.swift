import Foundation
import PostgresStore
import PostgresTestSupport
import Store
import Testing

/// Brokers on one PostgreSQL database hear of each other's session changes at commit, and never of their own.
@Suite struct SessionAnnouncementTests {
    @Test(arguments: Backend.underTest.filter { $0 == .postgres })
    func everyChangeFromAnotherBrokerIsAnnouncedInOrder(_ backend: Backend) async throws {
        let (writer, reopen) = try await makeStore(backend)
        let listener = try reopen()
        let heard = AnnouncementRecorder()
        try await heard.start(watching: listener)
        defer { Task { await heard.stop() } }

        var alice = claim("alice", client: "203.0.113.5")
        alice.publicAddress = "198.51.100.1"
        let session = try await writer.claimDesktop(alice).session
        _ = try await writer.markReady(sessionID: session.id, targetAddress: "192.0.2.10", targetPort: 5901, targetTLSPort: nil)
        _ = try await writer.updateClientAddress(sessionID: session.id, clientAddress: "203.0.113.9")
        _ = try await writer.deleteSession(id: session.id)

        try await TestPostgres.waitUntil("four announcements") { await heard.changes.count >= 4 }
        let changes = await heard.changes
        #expect(changes.map(\.kind) == [.added, .updated, .updated, .ended])
        #expect(changes.allSatisfy { $0.session.id == session.id && $0.session.publicAddress == "198.51.100.1" })
        #expect(changes[0].session.state == .starting && changes[0].session.targetAddress == nil)
        #expect(changes[1].session.state == .ready && changes[1].session.targetAddress == "192.0.2.10")
        #expect(changes[1].session.targetPort == 5901 && changes[1].formerClientAddress == nil)
        #expect(changes[2].session.clientAddress == "203.0.113.9" && changes[2].formerClientAddress == "203.0.113.5")
        #expect(changes[3].session.clientAddress == "203.0.113.9" && changes[3].session.user == "alice")
        #expect(abs(changes[3].session.createdAt.timeIntervalSince(session.createdAt)) < 0.001)
    }

    @Test(arguments: Backend.underTest.filter { $0 == .postgres })
    func aStoreIsNotToldOfItsOwnChangesNorOfUpdatesForwardingIgnores(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend)
        let other = try reopen()
        let heard = AnnouncementRecorder()
        try await heard.start(watching: store)
        defer { Task { await heard.stop() } }

        let own = try await store.claimDesktop(claim("alice")).session
        _ = try await store.deleteSession(id: own.id)
        let theirs = try await other.claimDesktop(claim("bob")).session
        try await TestPostgres.waitUntil("the other store's session") { await heard.changes.count >= 1 }
        // Reading a session back or ending one that is gone changes nothing to announce.
        _ = try await other.session(id: theirs.id)
        _ = try await other.markReady(sessionID: theirs.id, targetAddress: "192.0.2.11", targetPort: 5900, targetTLSPort: nil)
        _ = try await other.markReady(sessionID: theirs.id, targetAddress: "192.0.2.11", targetPort: 5900, targetTLSPort: nil)
        _ = try await other.deleteSession(id: theirs.id)
        try await TestPostgres.waitUntil("its end") { await heard.changes.last?.kind == .ended }
        #expect(await heard.changes.map(\.kind) == [.added, .updated, .ended])
        #expect(await heard.changes.allSatisfy { $0.session.id == theirs.id })
    }
}
