import Foundation
import HummingbirdBcrypt
import Store

/// One way of checking a password (local bcrypt, PAM, a directory), tried in the configured order until one says
/// yes.
public protocol Authenticator: Sendable {
    /// A short name for logs and the audit log: `local`, `pam`, `ldap`.
    var name: String { get }
    /// Whether `password` is `username`'s, with what the method knows of the user (a directory's groups); nil for
    /// no. Blocking work runs off the caller's thread.
    ///
    /// - Throws: when the method cannot answer (its service is down); the next method is tried.
    func check(username: String, password: String) async throws -> Acceptance?
}

/// A password accepted, with the groups a directory puts the user in (nil where the method knows no groups) and the
/// user's own name as the method knows it.
public struct Acceptance: Sendable, Equatable {
    public var directoryGroups: [String]?
    /// The account's name as the directory or the host spells it (`dana` for a login typed `DaNa`), so one person is
    /// one user whatever case they type; nil where the method takes the name as typed.
    public var canonicalName: String?

    public init(directoryGroups: [String]? = nil, canonicalName: String? = nil) {
        self.directoryGroups = directoryGroups
        self.canonicalName = canonicalName
    }
}

extension Authenticator {
    /// Whether `password` is `username`'s.
    public func verify(username: String, password: String) async throws -> Bool {
        try await check(username: username, password: password) != nil
    }
}

/// Local users' bcrypt hashes in the store. A name with no local password costs the same bcrypt work, so timing
/// tells nothing about which names exist.
public struct LocalAuthenticator: Authenticator {
    public let name = "local"
    let store: any Store
    let bcryptCost: UInt8

    public init(store: any Store, bcryptCost: UInt8) {
        self.store = store
        self.bcryptCost = bcryptCost
    }

    public func check(username: String, password: String) async throws -> Acceptance? {
        let hash = try await store.user(named: username)?.passwordHash
        let accepted = await Blocking.run { [bcryptCost] in
            guard let hash, hash.hasPrefix("$2") else {
                _ = Bcrypt.hash(password, cost: bcryptCost)
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
        return accepted ? Acceptance() : nil
    }
}
