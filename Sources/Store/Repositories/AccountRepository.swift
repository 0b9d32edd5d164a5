import Foundation

/// Accounts: users, their login tokens and the failures the login throttle counts.
public protocol AccountRepository: Sendable {
    // MARK: Users
    /// Adds a user; throws `StoreError.userExists` for a taken name.
    func addUser(_ user: UserRecord) async throws
    func user(named name: String) async throws -> UserRecord?
    func users() async throws -> [UserRecord]
    /// Changes a user's roles and/or password hash (nil leaves it); a new password signs the user out everywhere (their
    /// tokens are deleted). Throws `StoreError.userNotFound`.
    func updateUser(named name: String, isAdmin: Bool?, isAuditor: Bool?, passwordHash: String?) async throws
    /// Deletes a user with their tokens, group memberships and grants; their persistent desktops lose their owner.
    /// Throws `StoreError.userNotFound`, or `StoreError.userHasSessions` while they hold a session (nothing changes).
    func deleteUser(named name: String) async throws

    // MARK: Login tokens
    /// Stores a login token by its hash (the token itself is never stored).
    func addToken(hash: String, user: String, expiresAt: Date) async throws
    /// The user a live token belongs to, or nil for an unknown or expired one.
    func user(forTokenHash hash: String, now: Date) async throws -> UserRecord?
    func deleteToken(hash: String) async throws
    /// Drops expired tokens; returns how many.
    @discardableResult func deleteExpiredTokens(now: Date) async throws -> Int

    // MARK: Login throttling
    /// The failure records of `keys`; a key without one is absent.
    func loginFailures(_ keys: [String]) async throws -> [String: LoginFailureRecord]
    /// Replaces the record of each key with what `change` makes of it (nil: none yet), in one transaction, so that
    /// failures counted at once by several brokers are all counted.
    func updateLoginFailures(_ keys: [String], _ change: @escaping @Sendable (String, LoginFailureRecord?) -> LoginFailureRecord)
        async throws
    /// Forgets a key's failures.
    func clearLoginFailures(_ key: String) async throws
    /// Drops the records whose last failure came before `date`; returns how many.
    @discardableResult func deleteLoginFailures(lastBefore date: Date) async throws -> Int
}
