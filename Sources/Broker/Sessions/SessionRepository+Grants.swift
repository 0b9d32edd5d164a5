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
}
