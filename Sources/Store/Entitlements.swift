import Foundation

/// Who a pool is granted to: everyone, one user, or the members of a group.
public enum PoolGrant: Sendable, Hashable, Codable, CustomStringConvertible {
    case everyone
    case user(String)
    case group(String)

    /// `everyone`, `user:alice`, `group:staff`.
    public var description: String {
        switch self {
        case .everyone: "everyone"
        case .user(let name): "user:\(name)"
        case .group(let name): "group:\(name)"
        }
    }
}

extension PoolGrant {
    /// The grant's kind as the stores keep it: `everyone`, `user` or `group`.
    public var kind: String {
        switch self {
        case .everyone: "everyone"
        case .user: "user"
        case .group: "group"
        }
    }

    /// Whom it names: the user's or group's name, empty for everyone.
    public var principal: String {
        switch self {
        case .everyone: ""
        case .user(let name), .group(let name): name
        }
    }

    /// A grant from its stored kind and principal; nil for a kind this version does not know.
    public init?(kind: String, principal: String) {
        switch kind {
        case "everyone": self = .everyone
        case "user": self = .user(principal)
        case "group": self = .group(principal)
        default: return nil
        }
    }
}

/// A group of users, for granting pools to many at once.
public struct GroupRecord: Sendable, Equatable, Codable {
    public var name: String
    /// Its members' names, sorted.
    public var members: [String]
    public var createdAt: Date

    public init(name: String, members: [String], createdAt: Date) {
        self.name = name
        self.members = members
        self.createdAt = createdAt
    }
}
