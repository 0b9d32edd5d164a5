import Foundation
import Store

/// Short-lived tokens that let one browser console reach one session's desktop through the gateway.
///
/// spice-html5 opens one WebSocket per SPICE channel, all to the same URL, so a token opens the connections of one
/// console: from its first use it works for `channelWindow` more (and never past its expiry), then it is spent.
/// Every channel still has to present the SPICE ticket, which the server checks per channel.
///
/// A token names a session, not an address: redeeming it reads the session from the store, so a session ended in
/// between reaches nothing and the target always comes from the broker. Tokens are kept in the store by their hash,
/// so a console opened through one broker's API may reach the desktop through another broker's gateway; they go
/// with their session.
public struct WebConsoleTokens: Sendable {
    private let store: any SessionRepository
    /// How long a token may wait for its first WebSocket.
    public let lifetime: TimeInterval
    /// How long after its first use a token still opens the console's other channels.
    public let channelWindow: TimeInterval

    public init(store: any SessionRepository, lifetime: TimeInterval = 30, channelWindow: TimeInterval = 10) {
        self.store = store
        self.lifetime = lifetime
        self.channelWindow = channelWindow
    }

    /// A new token for `sessionID` of `user`, valid for `lifetime`.
    public func issue(forSession sessionID: String, user: String, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        try await store.issueSessionGrant(.webConsole, forSession: sessionID, user: user, until: now.addingTimeInterval(lifetime))
    }

    /// Uses the token: the live, ready session it was issued for, or nil when the token is unknown, expired or
    /// spent, or its session has ended. The first use starts the channel window.
    public func redeem(_ token: String, now: Date = Date()) async throws -> SessionRecord? {
        guard
            let grant = try await store.useSessionGrant(
                hash: Accounts.digest(token), kind: .webConsole, now: now, window: channelWindow),
            let session = try await store.session(id: grant.sessionID), session.state == .ready
        else { return nil }
        return session
    }
}
