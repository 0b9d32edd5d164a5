import Foundation
import Store

/// What a browser needs to open a session's desktop through the WebSocket gateway.
public struct WebConsoleGrant: Sendable, Equatable {
    /// The single-use gateway token for `/ws/{token}`.
    public var token: String
    /// When the token stops working if unused.
    public var tokenExpiresAt: Date
    /// A fresh one-time SPICE ticket for the HTML5 client.
    public var spicePassword: String
    /// When the SPICE ticket stops working.
    public var passwordValidUntil: Date
    /// The token and password are the session's console credential, good for every reconnect until they expire or
    /// the session ends (a page may keep them across a reload); otherwise the token serves one console and the
    /// password is a one-time desktop ticket.
    public var reusable = false
}

extension Broker {
    /// What a browser console of the session needs, for its owner (or an admin): through the SPICE gateway, the
    /// session's console credential as token and password; otherwise a fresh SPICE ticket and a single-use token.
    public func webConsole(forSession id: String, user: UserRecord, now: Date = Date()) async throws -> WebConsoleGrant {
        let session = try await session(id: id, visibleTo: user)
        if settings.browserConsolesThroughGateway {
            guard session.state == .ready else { throw BrokerError.vmNotReady("Desktop \(session.vm) is still starting; try again.") }
            let (credential, expiresAt) = try await consoleCredentials.issue(forSession: session.id, user: user.name, now: now)
            upkeep.noteTicket(session: session.id, at: now)
            await auditConsoleAccess(.webConsole, to: session, by: user, now: now)
            return WebConsoleGrant(
                token: credential, tokenExpiresAt: expiresAt, spicePassword: credential, passwordValidUntil: expiresAt,
                reusable: true)
        }
        let (ticket, validUntil) = try await setFreshTicket(on: session, now: now)
        let (token, expiresAt) = try await webConsoleTokens.issue(forSession: session.id, user: user.name, now: now)
        await auditConsoleAccess(.webConsole, to: session, by: user, now: now)
        return WebConsoleGrant(token: token, tokenExpiresAt: expiresAt, spicePassword: ticket, passwordValidUntil: validUntil)
    }

    /// Sets a new one-time SPICE ticket on the session's VM, valid for the configured ticket validity.
    func setFreshTicket(on session: SessionRecord, now: Date) async throws -> (ticket: String, validUntil: Date) {
        guard session.state == .ready else { throw BrokerError.vmNotReady("Desktop \(session.vm) is still starting; try again.") }
        guard let pool = try await store.pool(named: session.pool) else { throw BrokerError(StoreError.poolNotFound(session.pool)) }
        let ticket = TicketGenerator.newTicket()
        gatewayTickets.forget(session: session.id)  // replaced by this one
        let validity = pool.policy.ticketValiditySeconds.map(TimeInterval.init) ?? settings.ticketValidity
        let validUntil = try await hypervisor.setTicket(
            ticket, on: try await ref(ofVM: session.vm, in: pool), validFor: validity)
        upkeep.noteTicket(session: session.id, at: now)
        return (ticket, validUntil)
    }
}
