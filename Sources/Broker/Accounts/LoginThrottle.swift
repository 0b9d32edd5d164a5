import Foundation
import Synchronization

/// Slows down password guessing: after a few failed logins for one account name, or from one address, each further
/// attempt must wait for a backoff that doubles with every failure, and is answered `429 too_many_attempts`
/// without the password being looked at.
///
/// Account names are counted case-folded (the caller passes `LoginName.throttleKey`), and IPv6 clients by their /64,
/// since one host commonly holds a whole /64.
///
/// Names are counted whether or not such a user exists, so the answer tells nothing about which accounts exist. A
/// successful login clears its account's failures but not its address's, so one valid account cannot be used to
/// keep guessing others from the same address. Kept in memory: a restart forgets it.
public final class LoginThrottle: Sendable {
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
        /// Account names and addresses tracked at most; the stalest are forgotten first.
        public var capacity = 100_000

        public init() {}
    }

    private struct Record {
        var failures: Int
        var last: Date
        var blockedUntil: Date
    }

    private enum Key: Hashable {
        case account(String)
        case address(String)
    }

    private let policy: Policy
    private let records = Mutex<[Key: Record]>([:])

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Throws `too_many_attempts` (429, with how long to wait) while the account or the address must wait.
    func check(account: String, address: String?, now: Date = Date()) throws {
        let until = self.records.withLock { records in
            self.keys(account, address).compactMap { key -> Date? in
                guard let record = records[key], record.blockedUntil > now else { return nil }
                return record.blockedUntil
            }.max()
        }
        guard let until else { return }
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        var error = BrokerError(
            code: "too_many_attempts",
            message: "Too many failed logins; try again in \(seconds) second\(seconds == 1 ? "" : "s").", httpStatus: 429)
        error.retryAfterSeconds = seconds
        throw error
    }

    /// Counts a failed login for the account name and the address, and starts their backoff past the free ones.
    func recordFailure(account: String, address: String?, now: Date = Date()) {
        self.records.withLock { records in
            for key in self.keys(account, address) {
                var record = records[key].flatMap { now.timeIntervalSince($0.last) < self.policy.window.seconds ? $0 : nil }
                    ?? Record(failures: 0, last: now, blockedUntil: .distantPast)
                record.failures += 1
                record.last = now
                let free = if case .account = key { self.policy.freeFailuresPerAccount } else { self.policy.freeFailuresPerAddress }
                if record.failures > free {
                    let doublings = min(record.failures - free - 1, 20)
                    let wait = min(self.policy.firstBackoff.seconds * pow(2, Double(doublings)), self.policy.maximumBackoff.seconds)
                    record.blockedUntil = now.addingTimeInterval(wait)
                }
                records[key] = record
            }
            if records.count > self.policy.capacity { self.forgetStalest(&records) }
        }
    }

    /// A successful login: the account's failures are forgotten (the address's stay).
    func recordSuccess(account: String) {
        self.records.withLock { _ = $0.removeValue(forKey: .account(account)) }
    }

    private func keys(_ account: String, _ address: String?) -> [Key] {
        [.account(account)] + (address.map { [.address(ClientNetwork.key(for: $0) ?? $0)] } ?? [])
    }

    private func forgetStalest(_ records: inout [Key: Record]) {
        let keep = self.policy.capacity * 9 / 10
        let stalest = records.sorted { $0.value.last < $1.value.last }.prefix(records.count - keep).map(\.key)
        for key in stalest { records.removeValue(forKey: key) }
    }
}
