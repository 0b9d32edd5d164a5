import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Password guessing slowed down per account name and per address, the same for names that exist and names that do
/// not.
@Suite struct LoginThrottleTests {
    private func fixture(_ policy: LoginThrottle.Policy) async throws -> (BrokerFixture, Accounts) {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        let accounts = Accounts(store: fixture.store, bcryptCost: 4, tokenLifetime: 3600, throttle: LoginThrottle(policy: policy))
        return (fixture, accounts)
    }

    private func attempt(_ accounts: Accounts, _ name: String, _ password: String, from address: String, at now: Date) async -> BrokerError? {
        do {
            _ = try await accounts.login(username: name, password: password, from: address, now: now)
            return nil
        } catch {
            return error as? BrokerError
        }
    }

    @Test func anAccountIsSlowedDownAfterItsFreeFailuresAndTheWaitDoubles() async throws {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAccount = 3
        let (_, accounts) = try await fixture(policy)
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        for index in 0..<4 {
            #expect(await attempt(accounts, "alice", "wrong", from: "10.0.0.\(index)", at: start)?.code == .invalidCredentials)
        }
        // The fourth failure (one past the free three) started a 1 s wait: even the right password is not looked at.
        let throttled = await attempt(accounts, "alice", "pw-alice", from: "10.0.0.9", at: start.addingTimeInterval(0.5))
        #expect(throttled?.code == .tooManyAttempts && throttled?.httpStatus == 429)
        #expect(throttled?.retryAfterSeconds == 1)
        #expect(await attempt(accounts, "alice", "wrong", from: "10.0.0.9", at: start.addingTimeInterval(1.5))?.code == .invalidCredentials)
        let doubled = await attempt(accounts, "alice", "pw-alice", from: "10.0.0.9", at: start.addingTimeInterval(2))
        #expect(doubled?.retryAfterSeconds == 2, "the fifth failure waits twice as long")
        // Past the wait the right password works, and clears the account's failures.
        #expect(await attempt(accounts, "alice", "pw-alice", from: "10.0.0.9", at: start.addingTimeInterval(4)) == nil)
        #expect(await attempt(accounts, "alice", "wrong", from: "10.0.0.9", at: start.addingTimeInterval(4))?.code == .invalidCredentials)
    }

    @Test func namesThatDoNotExistAreSlowedDownAlike() async throws {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAccount = 2
        let (_, accounts) = try await fixture(policy)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        var answers: [String: [String?]] = [:]
        for name in ["alice", "nobody"] {
            for _ in 0..<4 { answers[name, default: []].append(await attempt(accounts, name, "wrong", from: "10.0.0.1", at: now)?.code.rawValue) }
        }
        #expect(answers["alice"] == answers["nobody"])
        #expect(answers["alice"] == ["invalid_credentials", "invalid_credentials", "invalid_credentials", "too_many_attempts"])
    }

    @Test func oneAddressGuessingManyNamesIsSlowedDown() async throws {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAddress = 5
        let (_, accounts) = try await fixture(policy)
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        for index in 0..<6 {
            #expect(await attempt(accounts, "user\(index)", "guess", from: "192.0.2.66", at: now)?.code == .invalidCredentials)
        }
        #expect(await attempt(accounts, "alice", "pw-alice", from: "192.0.2.66", at: now)?.code == .tooManyAttempts)
        #expect(await attempt(accounts, "alice", "pw-alice", from: "10.0.0.2", at: now) == nil, "other addresses go on")
    }

    @Test func failuresOlderThanTheWindowAreForgotten() async throws {
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAccount = 1
        policy.window = .seconds(60)
        let (_, accounts) = try await fixture(policy)
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        _ = await attempt(accounts, "alice", "wrong", from: "10.0.0.1", at: start)
        _ = await attempt(accounts, "alice", "wrong", from: "10.0.0.1", at: start.addingTimeInterval(5))
        #expect(await attempt(accounts, "alice", "wrong", from: "10.0.0.1", at: start.addingTimeInterval(5.5))?.code == .tooManyAttempts)
        let later = start.addingTimeInterval(120)
        #expect(await attempt(accounts, "alice", "wrong", from: "10.0.0.1", at: later)?.code == .invalidCredentials)
        #expect(await attempt(accounts, "alice", "pw-alice", from: "10.0.0.1", at: later.addingTimeInterval(0.1)) == nil)
    }
}

/// Two brokers on one database count the same failures: guessing through one slows the name down on the other.
@Suite struct SharedLoginThrottleTests {
    @Test func failuresCountedByOneBrokerSlowDownTheOther() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        var policy = LoginThrottle.Policy()
        policy.freeFailuresPerAccount = 4
        let first = Accounts(store: fixture.store, bcryptCost: 4, tokenLifetime: 3600, throttle: LoginThrottle(policy: policy))
        let second = Accounts(store: fixture.store, bcryptCost: 4, tokenLifetime: 3600, throttle: LoginThrottle(policy: policy))
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<5 {
                group.addTask {
                    _ = try? await (index.isMultiple(of: 2) ? first : second)
                        .login(username: "alice", password: "wrong", from: "10.0.0.\(index)", now: now)
                }
            }
        }
        await #expect(throws: BrokerError.self, "five failures over two brokers: one past the free four") {
            _ = try await first.login(username: "alice", password: "pw-alice", from: "10.0.0.9", now: now)
        }
        do {
            _ = try await second.login(username: "alice", password: "pw-alice", from: "10.0.0.9", now: now)
            Issue.record("the second broker let the right password through during the wait")
        } catch let error as BrokerError {
            #expect(error.code == .tooManyAttempts)
        }
    }
}
