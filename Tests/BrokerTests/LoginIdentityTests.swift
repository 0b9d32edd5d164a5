import Broker
import BrokerTestSupport
import Foundation
import Store
import Synchronization
import Testing

/// A directory as LDAP, SSSD or winbind behave: names match without case, and the account's own spelling comes back.
private final class CaseBlindDirectory: Authenticator {
    let name = "ldap"
    let account: String
    let password: String
    /// Every name it was asked about, in order.
    let asked = Mutex<[String]>([])

    init(account: String, password: String) {
        self.account = account
        self.password = password
    }

    func check(username: String, password: String) async throws -> Acceptance? {
        asked.withLock { $0.append(username) }
        let matches = username.trimmingCharacters(in: .whitespaces).lowercased() == account
        return matches && password == self.password ? Acceptance(canonicalName: account) : nil
    }
}

/// Who a login is: names that cannot be users refused unasked, one person one user whatever the case typed, the
/// throttle counting case variants and IPv6 neighbours together.
@Suite struct LoginIdentityTests {
    private let start = Date(timeIntervalSince1970: 1_900_000_000)

    private func accounts(
        _ fixture: BrokerFixture, _ directory: CaseBlindDirectory, policy: LoginThrottle.Policy = LoginThrottle.Policy()
    ) -> Accounts {
        Accounts(
            store: fixture.store, bcryptCost: 4, tokenLifetime: 3600, throttle: LoginThrottle(policy: policy),
            authenticators: [directory])
    }

    private func code(_ accounts: Accounts, _ name: String, _ password: String, from address: String, at now: Date) async -> String? {
        do {
            _ = try await accounts.login(username: name, password: password, from: address, now: now)
            return nil
        } catch {
            return (error as? BrokerError)?.code.rawValue ?? "\(error)"
        }
    }

    @Test func aNameThatCannotBeAUserIsRefusedLikeAWrongPasswordAndNobodyHearsOfIt() async throws {
        let fixture = try await BrokerFixture()
        let directory = CaseBlindDirectory(account: "dana", password: "pw-dana")
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAddress = 2
        let accounts = accounts(fixture, directory, policy: policy)
        let huge = String(repeating: "d", count: 64 * 1024)
        for name in [huge, " dana", "dana ", "da na", "da\u{0}na", "dana/x", ""] {
            let refused = await #expect(throws: BrokerError.self) {
                try await accounts.login(username: name, password: "pw-dana", from: "198.51.100.4", now: start)
            }
            #expect(refused?.code == .invalidCredentials && refused?.httpStatus == 401, "\(name.prefix(8).debugDescription)")
        }
        #expect(directory.asked.withLock { $0 }.isEmpty, "the directory must not be asked about impossible names")
        let audit = try await fixture.broker.audit.events(limit: 1000, requestedBy: nil).filter { $0.action == .loginFailed }
        #expect(audit.isEmpty, "nothing of the impossible names reaches the audit log: \(audit.map(\.subject.count))")
        // Seven refusals from one address, yet the address was not slowed down: the throttle never saw them.
        #expect(await code(accounts, "dana", "pw-dana", from: "198.51.100.4", at: start) == nil)
    }

    @Test func oneDirectoryAccountIsOneUserWhateverCaseIsTyped() async throws {
        let fixture = try await BrokerFixture()
        let accounts = accounts(fixture, CaseBlindDirectory(account: "dana", password: "pw-dana"))
        let first = try await accounts.login(username: "DaNa", password: "pw-dana", from: "198.51.100.4", now: start)
        let second = try await accounts.login(username: "dana", password: "pw-dana", from: "198.51.100.4", now: start)
        #expect(first.user.name == "dana" && second.user.name == "dana")
        #expect(try await fixture.store.user(named: "DaNa") == nil)
        #expect(try await fixture.store.users().map(\.name).filter { $0.lowercased() == "dana" } == ["dana"])
    }

    @Test func caseVariantsShareTheirThrottle() async throws {
        let fixture = try await BrokerFixture()
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAccount = 3
        let accounts = accounts(fixture, CaseBlindDirectory(account: "dana", password: "pw-dana"), policy: policy)
        for (index, name) in ["dana", "Dana", "DANA", "dAna"].enumerated() {
            #expect(await code(accounts, name, "wrong", from: "198.51.100.\(index + 10)", at: start) == "invalid_credentials")
        }
        // Four failures across four spellings and four addresses: the account waits, in every spelling.
        #expect(await code(accounts, "DaNa", "pw-dana", from: "198.51.100.99", at: start.addingTimeInterval(0.5)) == "too_many_attempts")
        #expect(await code(accounts, "dana", "pw-dana", from: "198.51.100.99", at: start.addingTimeInterval(0.5)) == "too_many_attempts")
    }

    @Test func ipv6ClientsAreCountedByTheirSlash64() async throws {
        let fixture = try await BrokerFixture()
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAddress = 3
        let accounts = accounts(fixture, CaseBlindDirectory(account: "dana", password: "pw-dana"), policy: policy)
        for index in 1...4 {
            #expect(await code(accounts, "guess\(index)", "wrong", from: "2001:db8:0:7::\(index)", at: start) == "invalid_credentials")
        }
        #expect(await code(accounts, "dana", "pw-dana", from: "2001:db8:0:7:ffff::1", at: start.addingTimeInterval(0.5)) == "too_many_attempts")
        #expect(await code(accounts, "dana", "pw-dana", from: "2001:db8:0:8::1", at: start.addingTimeInterval(0.5)) == nil,
            "the next /64 is another client")
    }
}
