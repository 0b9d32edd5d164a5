import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

@Suite struct AccountsTests {
    @Test func loginIssuesATokenStoredOnlyAsItsHash() async throws {
        let fixture = try await BrokerFixture()
        _ = try await fixture.user("alice")
        let login = try await fixture.accounts.login(username: "alice", password: "pw-alice")
        #expect(try await fixture.accounts.user(forToken: login.token)?.name == "alice")
        #expect(try await fixture.store.user(forTokenHash: login.token, now: Date()) == nil)
        try await fixture.accounts.logout(token: login.token)
        #expect(try await fixture.accounts.user(forToken: login.token) == nil)
    }

    @Test func wrongPasswordAndUnknownUserGiveTheSameError() async throws {
        let fixture = try await BrokerFixture()
        _ = try await fixture.user("alice")
        let wrong = await #expect(throws: BrokerError.self) { try await fixture.accounts.login(username: "alice", password: "nope") }
        let unknown = await #expect(throws: BrokerError.self) { try await fixture.accounts.login(username: "zed", password: "nope") }
        #expect(wrong == unknown)
        #expect(wrong?.httpStatus == 401)
    }

    @Test func tokensExpire() async throws {
        let fixture = try await BrokerFixture()
        _ = try await fixture.user("alice")
        let login = try await fixture.accounts.login(username: "alice", password: "pw-alice")
        #expect(try await fixture.accounts.user(forToken: login.token, now: login.expiresAt.addingTimeInterval(1)) == nil)
    }

    @Test func namesAndPasswordsAreChecked() async throws {
        let fixture = try await BrokerFixture()
        for bad in ["", "a b", "x/y", "line\nbreak", String(repeating: "a", count: 65)] {
            await #expect(throws: BrokerError.self) { try await fixture.accounts.addUser(name: bad, password: "pw", isAdmin: false) }
        }
        await #expect(throws: BrokerError.self) { try await fixture.accounts.addUser(name: "ok", password: "", isAdmin: false) }
        await #expect(throws: BrokerError.self) {
            try await fixture.accounts.addUser(name: "ok", password: String(repeating: "p", count: 73), isAdmin: false)
        }
        await #expect(throws: BrokerError.self) { try await fixture.user("alice"); try await fixture.user("alice") }
    }
}
