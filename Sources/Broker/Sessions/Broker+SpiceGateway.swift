import Foundation
import Store

extension Broker {
    /// How long a desktop ticket the SPICE gateway presents stays valid on the desktop.
    static let gatewayTicketValidity: TimeInterval = 30

    /// The live, ready session a console credential opens for a client at `clientAddress` (the address its
    /// connection came from): `nil` when the credential is unknown or expired, or its session ended.
    ///
    /// - Throws: `403 forbidden` when the session is pinned to another address.
    public func gatewayDesktop(forCredential credential: String, clientAddress: String, now: Date = Date()) async throws -> SessionRecord? {
        guard let session = try await consoleCredentials.redeem(credential, now: now) else { return nil }
        guard session.clientAddress == clientAddress else {
            throw BrokerError(.forbidden, "Session \(session.id) is pinned to another client address.")
        }
        return session
    }

    /// A ticket for the session's desktop for the SPICE gateway to link it with: set on its SPICE server now, valid
    /// for `gatewayTicketValidity`, and handed to the links that follow while a third of that is left, so channels
    /// linking together never replace each other's ticket.
    public func gatewayTicket(forSession id: String, now: Date = Date()) async throws -> String {
        try await gatewayTickets.ticket(forSession: id, now: now) {
            guard let session = try await store.session(id: id), session.state == .ready else { throw BrokerError.sessionNotFound(id) }
            guard let pool = try await store.pool(named: session.pool) else { throw BrokerError(StoreError.poolNotFound(session.pool)) }
            let ticket = TicketGenerator.newTicket()
            let validUntil = try await hypervisor.setTicket(
                ticket, on: try await ref(ofVM: session.vm, in: pool), validFor: Self.gatewayTicketValidity)
            return (ticket, validUntil)
        }
    }
}
