/// A session another process sharing the store created, changed or ended, as the store announced it.
///
/// Brokers on one database hear of each other's changes this way: the node that forwards a session's port installs
/// or removes its rule, and every gateway cuts the browser consoles and proxy tunnels of a session that ended.
public struct SessionChange: Sendable, Equatable, Decodable {
    public enum Kind: String, Sendable, Codable {
        case added, updated, ended
    }

    public var kind: Kind
    /// The session as it is now; as it was when it ended, for `ended`.
    public var session: SessionRecord
    /// The client address the session was pinned to before this change, when the change moved it.
    public var formerClientAddress: String?

    public init(kind: Kind, session: SessionRecord, formerClientAddress: String? = nil) {
        self.kind = kind
        self.session = session
        self.formerClientAddress = formerClientAddress
    }
}
