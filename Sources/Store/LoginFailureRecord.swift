import Foundation

/// Failed logins counted for one key (an account name or a client network), kept in the store so that every broker
/// of a database counts the same failures.
public struct LoginFailureRecord: Sendable, Equatable, Codable {
    public var failures: Int
    /// When the last failure came.
    public var last: Date
    /// Attempts before this are answered `429` unchecked.
    public var blockedUntil: Date

    public init(failures: Int, last: Date, blockedUntil: Date) {
        self.failures = failures
        self.last = last
        self.blockedUntil = blockedUntil
    }
}
