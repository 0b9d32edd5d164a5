import Foundation
import Store

/// Tokens that open one session's desktop through a gateway, of one kind: a browser console's, or a console file's
/// credential. Kept in the store by their hash, so a token issued through one broker's API opens the desktop through
/// another broker's gateway; they go with their session.
///
/// A token names a session, not an address: redeeming it reads the session from the store, so a session ended in
/// between reaches nothing and the target always comes from the broker.
public struct SessionTokens: Sendable {
    private let store: any SessionRepository
    public let kind: SessionGrantRecord.Kind
    /// How long a token may wait for its first use.
    public let lifetime: TimeInterval
    /// How long after its first use a token still opens the desktop (never past its expiry).
    public let window: TimeInterval

    public init(_ kind: SessionGrantRecord.Kind, store: any SessionRepository, lifetime: TimeInterval, window: TimeInterval) {
        self.kind = kind
        self.store = store
        self.lifetime = lifetime
        self.window = window
    }

    /// Browser consoles' tokens. spice-html5 opens one WebSocket per SPICE channel, all to the same URL, so a token
    /// opens the connections of one console: from its first use for `channelWindow` more, then it is spent. Every
    /// channel still presents the SPICE ticket, which the server checks per channel.
    public static func webConsole(store: any SessionRepository, lifetime: TimeInterval = 30, channelWindow: TimeInterval = 10) -> Self {
        Self(.webConsole, store: store, lifetime: lifetime, window: channelWindow)
    }

    /// The credentials console files carry for the SPICE-aware gateway, which takes a client's SPICE link with its own
    /// key: the ticket the client presents is one of these, not the desktop's password. One opens its session's
    /// desktop as often as asked (a viewer reopened, a network that dropped) until it expires, hours later, or the
    /// session ends; the desktop's real ticket is made only when the gateway links it, and never leaves the broker.
    /// At 43 characters it fits a SPICE ticket's 60 bytes.
    public static func consoleCredentials(store: any SessionRepository, lifetime: TimeInterval = 8 * 3600) -> Self {
        Self(.spiceConsole, store: store, lifetime: lifetime, window: lifetime)
    }

    /// A new token for `sessionID` of `user`, valid for `lifetime`.
    public func issue(forSession sessionID: String, user: String, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        try await store.issueSessionGrant(kind, forSession: sessionID, user: user, until: now.addingTimeInterval(lifetime))
    }

    /// Uses the token: the live, ready session it was issued for, or nil when the token is unknown, expired or
    /// spent, or its session has ended. The first use starts the window.
    public func redeem(_ token: String, now: Date = Date()) async throws -> SessionRecord? {
        try await store.readySession(redeeming: token, kind, now: now, window: window)
    }
}
