import Foundation
import Store

extension SessionRepository {
    /// A new random token of `kind` for `sessionID` of `user`, kept by its hash until `expiresAt`.
    func issueSessionGrant(
        _ kind: SessionGrantRecord.Kind, forSession sessionID: String, user: String, until expiresAt: Date
    ) async throws -> (token: String, expiresAt: Date) {
        let token = TicketGenerator.newTicket()
        try await addSessionGrant(
            SessionGrantRecord(hash: Accounts.digest(token), kind: kind, sessionID: sessionID, user: user, expiresAt: expiresAt))
        return (token, expiresAt)
    }

    /// The live, ready session a token of `kind` opens, using the token (see `useSessionGrant`); nil when it is
    /// unknown, expired or spent, or its session has ended.
    func readySession(
        redeeming token: String, _ kind: SessionGrantRecord.Kind, now: Date, window: TimeInterval?
    ) async throws -> SessionRecord? {
        guard let grant = try await useSessionGrant(hash: Accounts.digest(token), kind: kind, now: now, window: window),
            let session = try await session(id: grant.sessionID), session.state == .ready
        else { return nil }
        return session
    }
}
