import ConsoleFile
import Foundation
import Store

extension Broker {
    /// A single-use link token that serves the session's `.vv` to a phone; for its owner (or an admin).
    public func phoneLink(forSession id: String, user: UserRecord, now: Date = Date()) async throws -> (token: String, expiresAt: Date) {
        let session = try await session(id: id, visibleTo: user)
        let link = try await phoneLinks.issue(forSession: session.id, user: user.name, now: now)
        await auditConsoleAccess(.phoneLink, to: session, by: user, now: now)
        return link
    }

    /// Spends a phone link: the session's `.vv` with a fresh ticket, or `link_not_found` for an unknown, used or
    /// expired link, or one whose session has ended.
    public func consoleFile(forPhoneLink token: String, now: Date = Date()) async throws -> ConsoleFile {
        let notFound = BrokerError(.linkNotFound, "This link is unknown, used or expired; make a new one in the portal.")
        guard let link = try await phoneLinks.redeem(token, now: now), let user = try await store.user(named: link.user) else {
            throw notFound
        }
        do {
            return try await consoleFile(forSession: link.sessionID, user: user, now: now)
        } catch let error as BrokerError where error.code == .sessionNotFound {
            throw notFound
        }
    }
}
