import Foundation

/// A short-lived way into one session's desktop, kept by the hash of its token so that any broker sharing the
/// database can redeem it: a browser console's gateway token, a phone link, or a console file's credential.
public struct SessionGrantRecord: Sendable, Equatable {
    /// What kind of way in it is.
    public enum Kind: String, Sendable {
        /// Opens one browser console's WebSocket channels: from its first use for a short window more.
        case webConsole = "web_console"
        /// Serves the session's `.vv` once.
        case phoneLink = "phone_link"
        /// A console file's credential for the SPICE-aware gateway: opens the session's desktop as often as asked
        /// until it expires or the session ends.
        case spiceConsole = "spice_console"
    }

    /// SHA-256 of the token, hex; the token itself is never stored.
    public var hash: String
    public var kind: Kind
    public var sessionID: String
    /// Who it was issued to.
    public var user: String
    public var expiresAt: Date
    /// When it was first used; nil while unused.
    public var firstUsedAt: Date?

    public init(hash: String, kind: Kind, sessionID: String, user: String, expiresAt: Date, firstUsedAt: Date? = nil) {
        self.hash = hash
        self.kind = kind
        self.sessionID = sessionID
        self.user = user
        self.expiresAt = expiresAt
        self.firstUsedAt = firstUsedAt
    }
}
