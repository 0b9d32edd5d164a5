import Foundation
import Store
import Testing

@Suite struct SessionClaimTests {
    @Test(arguments: Backend.underTest)
    func claimHoldsAFreeVMAndTheLowestFreePort(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let result = try await store.claimDesktop(claim("alice"))
        guard case .created(let session) = result else { Issue.record("expected a new session"); return }
        #expect(session.vm == "desk1")
        #expect(session.publicPort == 20000)
        #expect(session.state == .starting)
        #expect(session.clientAddress == "10.0.0.2")
        let summary = try await store.poolSummaries()
        #expect(summary.first?.freeVMCount == 2)
    }

    @Test(arguments: Backend.underTest)
    func aUserGetsTheirSessionBack(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let first = try await store.claimDesktop(claim("alice")).session
        let again = try await store.claimDesktop(claim("alice"))
        #expect(again == .existing(first))
    }

    @Test(arguments: Backend.underTest)
    func concurrentClaimsNeverShareAVMOrAPort(_ backend: Backend) async throws {
        let users = (0..<10).map { "u\($0)" }
        let (store, _) = try await makeStore(backend, users: users)
        let results = await withTaskGroup(of: Result<SessionRecord, any Error>.self) { group in
            for user in users {
                group.addTask {
                    do { return .success(try await store.claimDesktop(claim(user)).session) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let sessions = results.compactMap { try? $0.get() }
        let failures = results.compactMap { result -> StoreError? in
            if case .failure(let error) = result { return error as? StoreError }
            return nil
        }
        #expect(sessions.count == 3)
        #expect(failures == Array(repeating: .noFreeVM(pool: "office"), count: 7))
        #expect(Set(sessions.map(\.vm)).count == 3)
        #expect(Set(sessions.map(\.publicPort)).count == 3)
    }

    @Test(arguments: Backend.underTest)
    func aFullPortRangeIsReported(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        _ = try await store.claimDesktop(claim("alice", ports: 20000...20000))
        await #expect(throws: StoreError.noFreePort) {
            try await store.claimDesktop(claim("bob", ports: 20000...20000))
        }
    }

    @Test(arguments: Backend.underTest)
    func unknownPoolIsReported(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        var request = claim("alice")
        request.pool = "nope"
        await #expect(throws: StoreError.poolNotFound("nope")) { try await store.claimDesktop(request) }
    }

    @Test(arguments: Backend.underTest)
    func endingASessionFreesVMAndPort(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let session = try await store.claimDesktop(claim("alice")).session
        _ = try await store.deleteSession(id: session.id)
        let next = try await store.claimDesktop(claim("bob")).session
        #expect(next.vm == session.vm)
        #expect(next.publicPort == session.publicPort)
        await #expect(throws: StoreError.sessionNotFound(session.id)) { try await store.deleteSession(id: session.id) }
    }

    @Test(arguments: Backend.underTest)
    func leasesSurviveReopeningTheDatabase(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend)
        let session = try await store.claimDesktop(claim("alice")).session
        let ready = try await store.markReady(sessionID: session.id, targetAddress: "10.1.1.1", targetPort: 5900, targetTLSPort: 5901)
        let reopened = try reopen()
        #expect(try await reopened.sessions() == [ready])
        let other = try await reopened.claimDesktop(claim("bob")).session
        #expect(other.publicPort != session.publicPort)
        #expect(other.vm != session.vm)
    }

    @Test(arguments: Backend.underTest)
    func clientAddressCanMove(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let session = try await store.claimDesktop(claim("alice")).session
        let moved = try await store.updateClientAddress(sessionID: session.id, clientAddress: "10.9.9.9")
        #expect(moved.clientAddress == "10.9.9.9")
        #expect(moved.publicPort == session.publicPort)
    }

    @Test(arguments: Backend.underTest)
    func sessionsOfNoAddressOrAFormerOneAreAdopted(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, users: ["alice", "bob", "carol"])
        var old = claim("alice")
        old.publicAddress = nil
        var former = claim("bob")
        former.publicAddress = "198.51.100.1"
        var other = claim("carol")
        other.publicAddress = "198.51.100.2"
        for request in [old, former, other] { _ = try await store.claimDesktop(request) }
        #expect(try await store.adoptSessions(publicAddress: "198.51.100.9", formerAddress: "198.51.100.1") == 2)
        let addresses = try await store.sessions().reduce(into: [String: String?]()) { $0[$1.user] = $1.publicAddress }
        #expect(addresses == ["alice": "198.51.100.9", "bob": "198.51.100.9", "carol": "198.51.100.2"])
        #expect(try await store.adoptSessions(publicAddress: "198.51.100.9", formerAddress: nil) == 0)
    }
}
