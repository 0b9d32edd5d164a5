import Foundation

/// Who may use which pool: groups, their members and directory groups, and pool grants.
public protocol AccessRepository: Sendable {
    /// Adds an empty group; throws `groupExists` for a taken name.
    func addGroup(named name: String, now: Date) async throws
    /// Deletes a group with its memberships and the grants made to it; throws `groupNotFound`.
    func deleteGroup(named name: String) async throws
    /// Every group with its members, by name.
    func groups() async throws -> [GroupRecord]
    /// Adds users to a group (members already in stay); all or none. Throws `groupNotFound` or `userNotFound`.
    func addMembers(_ users: [String], toGroup group: String) async throws
    /// Takes users out of a group; throws `groupNotFound`.
    func removeMembers(_ users: [String], fromGroup group: String) async throws
    /// Grants a pool (again: no change); throws `poolNotFound`, `userNotFound` or `groupNotFound`.
    func grantPool(_ pool: String, to grant: PoolGrant) async throws
    /// Withdraws a grant; returns whether there was one. Throws `poolNotFound`.
    @discardableResult func revokePool(_ pool: String, from grant: PoolGrant) async throws -> Bool
    /// Each pool's grants, by pool name (pools without grants are absent).
    func poolGrants() async throws -> [String: [PoolGrant]]
    /// Replaces the groups a directory puts `user` in (learnt at their last login); grants to a group of that name
    /// reach them as they reach the group's own members.
    func setDirectoryGroups(_ groups: [String], ofUser user: String) async throws
    /// The pools `user` may use: granted to everyone, to them, or to a group of theirs (own or directory).
    func entitledPools(ofUser user: String) async throws -> Set<String>
}
