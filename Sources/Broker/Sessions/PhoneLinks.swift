import Foundation
import Store

/// Short-lived, single-use links that hand a session's aSpice `.vv` to a phone, for "Send to phone".
///
/// The link stands in for the user's login on a device that has none, so it works once and for two minutes. Links are
/// kept in the store by their hash, so any broker sharing the database serves them; they go with their session.
public struct PhoneLinks: Sendable {
    private let store: any SessionRepository
    /// How long a link works if unused.
    public let lifetime: TimeInterval

    public init(store: any SessionRepository, lifetime: TimeInterval = 120) {
        self.store = store
        self.lifetime = lifetime
    }

    /// A new link token for `sessionID` of `user`.
    public func issue(forSession sessionID: String, user: String, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        try await store.issueSessionGrant(.phoneLink, forSession: sessionID, user: user, until: now.addingTimeInterval(lifetime))
    }

    /// Spends the token: the session and user it was issued for, or nil when unknown, used or expired.
    public func redeem(_ token: String, now: Date = Date()) async throws -> (sessionID: String, user: String)? {
        try await store.useSessionGrant(hash: Accounts.digest(token), kind: .phoneLink, now: now, window: nil)
            .map { ($0.sessionID, $0.user) }
    }
}
