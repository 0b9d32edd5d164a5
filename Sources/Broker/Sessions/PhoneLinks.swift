import Foundation

/// Short-lived, single-use links that hand a session's aSpice `.vv` to a phone, for "Send to phone".
///
/// The link stands in for the user's login on a device that has none, so it works once and for two minutes.
public actor PhoneLinks {
    private struct Link {
        let sessionID: String
        let user: String
        let expiresAt: Date
    }

    private var links: [String: Link] = [:]
    /// How long a link works if unused.
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 120) {
        self.lifetime = lifetime
    }

    /// A new link token for `sessionID` of `user`.
    public func issue(forSession sessionID: String, user: String, now: Date = Date()) -> (token: String, expiresAt: Date) {
        links = links.filter { $0.value.expiresAt > now }
        let token = TicketGenerator.newTicket()
        let expiresAt = now.addingTimeInterval(lifetime)
        links[token] = Link(sessionID: sessionID, user: user, expiresAt: expiresAt)
        return (token, expiresAt)
    }

    /// Spends the token: the session and user it was issued for, or nil when unknown, used or expired.
    public func redeem(_ token: String, now: Date = Date()) -> (sessionID: String, user: String)? {
        guard let link = links.removeValue(forKey: token), link.expiresAt > now else { return nil }
        return (link.sessionID, link.user)
    }
}
