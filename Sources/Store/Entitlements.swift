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
