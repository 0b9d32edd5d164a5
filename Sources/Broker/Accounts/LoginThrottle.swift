import Foundation
import Store

/// Slows down password guessing: after a few failed logins for one account name, or from one address, each further
/// attempt must wait for a backoff that doubles with every failure, and is answered `429 too_many_attempts`
/// without the password being looked at.
///
/// Account names are counted case-folded (the caller passes `LoginName.throttleKey`), and IPv6 clients by their /64,
/// since one host commonly holds a whole /64.
///
/// Names are counted whether or not such a user exists, so the answer tells nothing about which accounts exist. A
/// successful login clears its account's failures but not its address's, so one valid account cannot be used to
/// keep guessing others from the same address. The counts live in the store, so every broker of a database counts
/// the same failures and a restart forgets none; the store's sweeper drops them once they are older than `window`.
public struct LoginThrottle: Sendable {
    /// When attempts start to be slowed down, and how much.
    public struct Policy: Sendable {
        /// Failures one account name may have before it is slowed down.
        public var freeFailuresPerAccount = 5
        /// Failures one address may have before it is slowed down (several people may share an address).
        public var freeFailuresPerAddress = 20
        /// The wait after the first failure beyond the free ones; it doubles with each further failure.
        public var firstBackoff: Duration = .seconds(1)
        /// The longest wait.
        public var maximumBackoff: Duration = .seconds(900)
        /// Failures older than this are forgotten.
        public var window: Duration = .seconds(3600)

        public init() {}
    }

    public let policy: Policy

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Throws `too_many_attempts` (429, with how long to wait) while the account or the address must wait; else
    /// says whether the account has failures on record (which a successful login then clears).
    @discardableResult
    func check(account: String, address: String?, now: Date = Date(), in store: any AccountRepository) async throws -> Bool {
        let records = try await store.loginFailures(Self.keys(account, address))
        guard let until = records.values.map(\.blockedUntil).filter({ $0 > now }).max() else {
            return records[Self.accountPrefix + account] != nil
        }
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        var error = BrokerError(.tooManyAttempts, "Too many failed logins; try again in \(seconds) second\(seconds == 1 ? "" : "s").")
        error.retryAfterSeconds = seconds
        throw error
    }

    /// Counts a failed login for the account name and the address, and starts their backoff past the free ones.
    func recordFailure(account: String, address: String?, now: Date = Date(), in store: any AccountRepository) async throws {
        let policy = policy
        try await store.updateLoginFailures(Self.keys(account, address)) { key, current in
            var record = current.flatMap { now.timeIntervalSince($0.last) < policy.window.seconds ? $0 : nil }
                ?? LoginFailureRecord(failures: 0, last: now, blockedUntil: .distantPast)
            record.failures += 1
            record.last = now
            let free = key.hasPrefix(Self.accountPrefix) ? policy.freeFailuresPerAccount : policy.freeFailuresPerAddress
            if record.failures > free {
                let doublings = min(record.failures - free - 1, 20)
                let wait = min(policy.firstBackoff.seconds * pow(2, Double(doublings)), policy.maximumBackoff.seconds)
                record.blockedUntil = now.addingTimeInterval(wait)
            }
            return record
        }
    }

    /// A successful login: the account's failures are forgotten (the address's stay).
    func recordSuccess(account: String, in store: any AccountRepository) async throws {
        try await store.clearLoginFailures(Self.accountPrefix + account)
    }

    private static let accountPrefix = "account:"

    /// The store's keys: `account:NAME` and `address:NETWORK`.
    private static func keys(_ account: String, _ address: String?) -> [String] {
        [accountPrefix + account] + (address.map { ["address:" + (ClientNetwork.key(for: $0) ?? $0)] } ?? [])
    }
}
