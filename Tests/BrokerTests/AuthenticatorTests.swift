import Broker
import BrokerTestSupport
import Foundation
import Store
import Synchronization
import Testing

/// Authenticators tried in order, and users made at their first login through one that is not local.
@Suite struct AuthenticatorTests {
    /// Accepts one name and password, counting how often it is asked; fails to answer when `down`.
    final class Directory: Authenticator, Sendable {
        let name = "directory"
        let accepted: (String, String)
        let down: Bool
        let asked = Mutex(0)

        init(accepting user: String, _ password: String, down: Bool = false) {
            self.accepted = (user, password)
            self.down = down
        }

        func check(username: String, password: String) async throws -> Acceptance? {
            asked.withLock { $0 += 1 }
            struct Unreachable: Error {}
            if down { throw Unreachable() }
            return (username, password) == accepted ? Acceptance() : nil
        }
    }

    @Test func aLaterMethodAcceptsAndItsUserIsMadeOnce() async throws {
        let fixture = try await BrokerFixture()
        let directory = Directory(accepting: "carol", "dir-pw")
        let accounts = Accounts(
            store: fixture.store, bcryptCost: 4, tokenLifetime: 3600,
            authenticators: [LocalAuthenticator(store: fixture.store, bcryptCost: 4), directory])
        let first = try await accounts.login(username: "carol", password: "dir-pw")
        #expect(first.user.name == "carol" && !first.user.isAdmin)
        let again = try await accounts.login(username: "carol", password: "dir-pw")
        #expect(again.user.name == first.user.name && again.user.passwordHash == "!directory")
        #expect(try await fixture.store.users().filter { $0.name == "carol" }.count == 1)
        await #expect(throws: BrokerError.self) { try await accounts.login(username: "carol", password: "wrong") }
        let log = try await fixture.broker.audit.events(requestedBy: nil)
        #expect(log.filter { $0.action == .userAdd && $0.subject == "carol" }.map(\.detail) == ["first login through directory"])
        #expect(log.first { $0.action == .login }?.detail == "through directory")
    }

    @Test func aLocalPasswordIsCheckedFirstAndAMadeUserHasNoLocalPassword() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        let directory = Directory(accepting: "carol", "dir-pw")
        let accounts = Accounts(
            store: fixture.store, bcryptCost: 4, tokenLifetime: 3600,
            authenticators: [LocalAuthenticator(store: fixture.store, bcryptCost: 4), directory])
        _ = try await accounts.login(username: "alice", password: "pw-alice")
        #expect(directory.asked.withLock { $0 } == 0, "the local password matched: no further method was asked")
        _ = try await accounts.login(username: "carol", password: "dir-pw")
        let localOnly = Accounts(store: fixture.store, bcryptCost: 4, tokenLifetime: 3600)
        await #expect(throws: BrokerError.self) { try await localOnly.login(username: "carol", password: "dir-pw") }
    }

    @Test func aMethodThatCannotAnswerIsPassedOver() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        let accounts = Accounts(
            store: fixture.store, bcryptCost: 4, tokenLifetime: 3600,
            authenticators: [Directory(accepting: "alice", "x", down: true), LocalAuthenticator(store: fixture.store, bcryptCost: 4)])
        #expect(try await accounts.login(username: "alice", password: "pw-alice").user.name == "alice")
    }
}
