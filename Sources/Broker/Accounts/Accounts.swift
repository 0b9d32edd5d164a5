import Crypto
import Foundation
import HummingbirdBcrypt
import Store

/// A login token as handed to a client: the secret itself (shown once) and when it stops working.
public struct LoginToken: Sendable, Equatable {
    public var token: String
    public var expiresAt: Date
    public var user: UserRecord
}

/// Local users with bcrypt passwords, and the bearer tokens they log in with.
///
/// Tokens are random and stored only as their SHA-256, so a copy of the database lets no one in.
public struct Accounts: Sendable {
    let store: any Store
    let bcryptCost: UInt8
    let tokenLifetime: TimeInterval
    let metrics: BrokerMetrics
    let throttle: LoginThrottle
    let audit: AuditLog
    /// How passwords are checked, in order; local bcrypt hashes unless configured otherwise.
    let authenticators: [any Authenticator]

    /// - Parameters:
    ///   - bcryptCost: the bcrypt work factor for new passwords (4...31).
    ///   - tokenLifetime: how long a login token stays valid.
    public init(
        store: any Store, bcryptCost: UInt8, tokenLifetime: TimeInterval, metrics: BrokerMetrics = BrokerMetrics(),
        throttle: LoginThrottle = LoginThrottle(), authenticators: [any Authenticator]? = nil
    ) {
        self.store = store
        self.throttle = throttle
        self.audit = AuditLog(store: store)
        self.authenticators = authenticators ?? [LocalAuthenticator(store: store, bcryptCost: bcryptCost)]
        self.metrics = metrics
        self.bcryptCost = bcryptCost
        self.tokenLifetime = tokenLifetime
    }

    /// Adds a local user with a bcrypt-hashed password.
    @discardableResult
    public func addUser(
        name: String, password: String, isAdmin: Bool, isAuditor: Bool = false, by actor: String = AuditLog.cliActor,
        now: Date = Date()
    ) async throws -> UserRecord {
        try Names.validate(name, kind: "user name")
        try Self.checkRoles(isAdmin: isAdmin, isAuditor: isAuditor)
        let hash = try await passwordHash(password)
        let user = UserRecord(name: name, passwordHash: hash, isAdmin: isAdmin, isAuditor: isAuditor, createdAt: now)
        try await BrokerError.mapping { try await store.addUser(user) }
        await audit.record(.userAdd, by: actor, subject: name, user.describedRole, now: now)
        return user
    }

    /// Checks a password with each authenticator in turn and issues a token; the same error, after the same work, for
    /// an unknown user or a wrong password.
    /// A name that cannot be a user's is refused with that error before anything else sees it (see `LoginName`).
    /// Both outcomes go to the audit log with `clientAddress`. Past a few failures for the name (case-folded) or the
    /// address (an IPv6 client by its /64), attempts get `429 too_many_attempts` for a doubling backoff (see
    /// `LoginThrottle`), unchecked. The user is the one the accepting method names (`Acceptance.canonicalName`).
    public func login(
        username: String, password: String, from clientAddress: String? = nil, now: Date = Date()
    ) async throws -> LoginToken {
        guard let name = LoginName(username) else {
            metrics.login(outcome: "failed")
            throw BrokerError.invalidCredentials
        }
        let accountHasFailures: Bool
        do {
            accountHasFailures = try await throttle.check(account: name.throttleKey, address: clientAddress, now: now, in: store)
        } catch {
            // Not audited one by one: a guesser hammering away would fill the log; the failures before were.
            metrics.login(outcome: "throttled")
            throw error
        }
        guard let (method, acceptance) = await acceptance(of: name.typed, password: password, from: clientAddress, now: now),
            let user = try await self.user(accepted: name, by: method, acceptance, from: clientAddress, now: now)
        else {
            try await throttle.recordFailure(account: name.throttleKey, address: clientAddress, now: now, in: store)
            metrics.login(outcome: "failed")
            throw BrokerError.invalidCredentials
        }
        if let groups = acceptance.directoryGroups {
            try await store.setDirectoryGroups(groups, ofUser: user.name)
        }
        let token = TicketGenerator.newTicket()
        let expiresAt = now.addingTimeInterval(tokenLifetime)
        try await store.addToken(hash: Self.digest(token), user: user.name, expiresAt: expiresAt)
        if accountHasFailures { try await throttle.recordSuccess(account: name.throttleKey, in: store) }
        await audit.record(
            .login, by: user.name, subject: user.name, from: clientAddress, method == "local" ? "" : "through \(method)",
            now: now)
        metrics.login(outcome: "ok")
        return LoginToken(token: token, expiresAt: expiresAt, user: user)
    }

    /// The first authenticator's yes, with its name; nil (audited) when none says yes.
    private func acceptance(
        of username: String, password: String, from clientAddress: String?, now: Date
    ) async -> (method: String, Acceptance)? {
        for authenticator in authenticators {
            do {
                if let acceptance = try await authenticator.check(username: username, password: password) {
                    return (authenticator.name, acceptance)
                }
            } catch {
                await audit.record(
                    .loginFailed, by: username, subject: username, from: clientAddress, succeeded: false,
                    "\(authenticator.name) could not check the password: \(error)", now: now)
            }
        }
        await audit.record(
            .loginFailed, by: username, subject: username, from: clientAddress, succeeded: false,
            "wrong user name or password", now: now)
        return nil
    }

    /// The user record of someone `method` accepted, under the name the method gives them: the local one, or, for a
    /// first login through PAM or a directory, a new user (no admin, no local password) so sessions and grants have
    /// someone to belong to. nil (audited) when the method's name for them cannot be a user's.
    private func user(
        accepted name: LoginName, by method: String, _ acceptance: Acceptance, from clientAddress: String?, now: Date
    ) async throws -> UserRecord? {
        let canonical = acceptance.canonicalName ?? name.typed
        if let user = try await store.user(named: canonical) { return user }
        guard Names.isPossibleUserName(canonical) else {
            await audit.record(
                .loginFailed, by: name.typed, subject: name.typed, from: clientAddress, succeeded: false,
                "\(method) accepted the password but names the account \(canonical.prefix(80).debugDescription), which cannot be a user name",
                now: now)
            return nil
        }
        let user = UserRecord(name: canonical, passwordHash: "!\(method)", isAdmin: false, createdAt: now)
        do {
            try await store.addUser(user)
            await audit.record(.userAdd, by: AuditLog.brokerActor, subject: canonical, "first login through \(method)", now: now)
            return user
        } catch StoreError.userExists {
            return try await store.user(named: canonical) ?? user  // a concurrent first login made it
        }
    }

    /// The user a bearer token belongs to, or nil for an unknown or expired token.
    public func user(forToken token: String, now: Date = Date()) async throws -> UserRecord? {
        try await store.user(forTokenHash: Self.digest(token), now: now)
    }

    /// Ends a login token (not the user's desktops).
    public func logout(token: String) async throws {
        try await store.deleteToken(hash: Self.digest(token))
    }

    /// The bcrypt hash of a new password, after checking it is one bcrypt takes whole.
    func passwordHash(_ password: String) async throws -> String {
        guard !password.isEmpty else { throw BrokerError.badRequest("The password must not be empty.") }
        guard password.utf8.count <= 72 else {
            throw BrokerError.badRequest("The password must be at most 72 bytes (bcrypt ignores the rest).")
        }
        return await Blocking.run { [bcryptCost] in Bcrypt.hash(password, cost: bcryptCost) }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
