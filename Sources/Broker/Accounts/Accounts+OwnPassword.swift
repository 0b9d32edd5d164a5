import Foundation
import Store

extension Accounts {
    /// A user changes their own local password, proving the current one; it signs them out everywhere (every token of
    /// theirs ends, this one too). Wrong current passwords count towards the login throttle like failed logins.
    /// Users of PAM or a directory are told to change it where their account lives.
    public func changeOwnPassword(
        of user: UserRecord, current: String, new: String, from clientAddress: String? = nil, now: Date = Date()
    ) async throws {
        guard user.passwordHash.hasPrefix("$2") else {
            throw BrokerError(.notLocal, "Your password is kept by the host or your directory, not by Saffron: change it there.")
        }
        try await throttle.check(account: user.name, address: clientAddress, now: now, in: store)
        let local = LocalAuthenticator(store: store, bcryptCost: bcryptCost)
        guard try await local.verify(username: user.name, password: current) else {
            try await throttle.recordFailure(account: user.name, address: clientAddress, now: now, in: store)
            await audit.record(
                .userUpdate, by: user.name, subject: user.name, from: clientAddress, succeeded: false,
                "own password not changed: the current one was wrong", now: now)
            throw BrokerError(.wrongPassword, "The current password is not right.")
        }
        let hash = try await passwordHash(new)
        try await BrokerError.mapping { try await store.updateUser(named: user.name, isAdmin: nil, isAuditor: nil, passwordHash: hash) }
        await audit.record(.userUpdate, by: user.name, subject: user.name, from: clientAddress, "changed their own password", now: now)
    }
}
