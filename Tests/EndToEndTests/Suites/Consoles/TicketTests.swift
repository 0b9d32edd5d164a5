import Foundation
import Testing

extension EndToEnd {
    /// The real SPICE server, asked with a SPICE link handshake, decides which tickets open a console.
    @Suite struct Tickets {
        static let validity = 5

        @Test("SPICE accepts the console ticket and refuses wrong, superseded and expired ones")
        func ticketsAtTheSpiceServer() throws {
            try BrokerFixture.run("tickets", ticketValidity: Self.validity) { broker in
                let token = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession, "no session in \(created)")
                let spicePort = try TestVMs.spicePort(session.vm)
                let throughGateway = { (ticket: String) in
                    try SpiceLinkProbe.link(host: session.host, port: session.port, ticket: ticket,
                                            from: Topology.client)
                }

                let first = try API.consoleTicket(session.id, token: token)
                #expect(try throughGateway(first) == .accepted, "the ticket of console.vv, through the DNAT")
                #expect(try SpiceLinkProbe.link(host: Topology.hypervisorAddress, port: spicePort, ticket: first,
                                                from: Topology.gateway) == .accepted,
                        "the same ticket straight at the hypervisor: it is the SPICE server's, not the broker's")
                #expect(try throughGateway("wrong-\(first)") == .permissionDenied)

                let second = try API.consoleTicket(session.id, token: token)
                let secondIssued = Date()
                #expect(second != first, "each console.vv carries a fresh ticket")
                #expect(try throughGateway(first) == .permissionDenied, "a superseded ticket")
                #expect(try throughGateway(second) == .accepted)

                let refusedAt = try waitFor("the SPICE server to refuse the expired ticket",
                                            timeout: Double(Self.validity) + 15, interval: 0.5) {
                    try throughGateway(second) == .permissionDenied ? Date() : nil
                }
                let lived = refusedAt.timeIntervalSince(secondIssued)
                #expect(lived >= Double(Self.validity) - 1.5, "refused after \(lived) s, validity \(Self.validity) s")
            }
        }

        /// Beyond the letter of the contract: once a desktop goes back to the pool, the next user gets the VM, so
        /// the previous user's ticket must stop opening it (refused, or the VM no longer listens).
        @Test("a released desktop's ticket no longer opens its console")
        func releasedTicketIsRefused() throws {
            try BrokerFixture.run("released-ticket") { broker in
                let token = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession, "no session in \(created)")
                let spicePort = try TestVMs.spicePort(session.vm)
                let ticket = try API.consoleTicket(session.id, token: token)
                let probe = {
                    try SpiceLinkProbe.link(host: Topology.hypervisorAddress, port: spicePort, ticket: ticket,
                                            from: Topology.gateway)
                }
                #expect(try probe() == .accepted)

                #expect(try API.release(session.id, token: token).status == 204)
                let after = try waitFor("the released ticket to stop working", timeout: 15, interval: 0.5) {
                    let outcome = try probe()
                    return outcome == .accepted ? nil : outcome
                }
                print("E2E released ticket: \(after)")
            }
        }
    }
}
