import Foundation
import Store

/// The credentials console files carry for the SPICE-aware gateway: the gateway takes a client's SPICE link with its
/// own key, and the ticket the client presents is one of these, not the desktop's password. A credential opens its
/// session's desktop as often as asked (a viewer reopened, a network that dropped) until it expires or the session
/// ends; the desktop's real ticket is made only when the gateway links it, and never leaves the broker.
///
/// Kept in the store by their hash, so any broker's gateway sharing the database takes them; they go with their
/// session.
public struct ConsoleCredentials: Sendable {
    private let store: any SessionRepository
    /// How long a credential works: hours, so that a file downloaded once serves the whole working day.
    public let lifetime: TimeInterval

    public init(store: any SessionRepository, lifetime: TimeInterval = 8 * 3600) {
        self.store = store
        self.lifetime = lifetime
    }

    /// A new credential for `sessionID` of `user`: 43 characters, within a SPICE ticket's 60 bytes.
    public func issue(forSession sessionID: String, user: String, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        try await store.issueSessionGrant(.spiceConsole, forSession: sessionID, user: user, until: now.addingTimeInterval(lifetime))
    }

    /// The live, ready session the credential opens; nil when it is unknown or expired, or its session has ended.
    public func redeem(_ token: String, now: Date = Date()) async throws -> SessionRecord? {
        guard
            let grant = try await store.useSessionGrant(hash: Accounts.digest(token), kind: .spiceConsole, now: now, window: lifetime),
            let session = try await store.session(id: grant.sessionID), session.state == .ready
        else { return nil }
        return session
    }
}
