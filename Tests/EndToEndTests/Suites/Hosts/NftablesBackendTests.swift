import Foundation
import Testing

extension EndToEnd {
    /// The nftables backend under a real broker: a session is one element of the broker's own table in the gateway,
    /// through which the client reaches the desktop's SPICE server; ending the session takes the element away.
    @Suite struct NftablesBackend {
        /// The `forwards` elements of the gateway's `ip saffron` table, as `nft` prints them.
        static func forwards() throws -> [String] {
            let listing = try Command.check(Topology.inGateway(["nft", "list", "map", "ip", "saffron", "forwards"])).output
            return listing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.contains(" : ") && !$0.hasPrefix("type ") }
                .map { $0.replacingOccurrences(of: "elements = {", with: "").replacingOccurrences(of: "}", with: "")
                    .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ",")) }
        }

        @Test("a desktop handed out with the nftables backend is reached through its map element, and not after it ends")
        func handoutThroughNftables() throws {
            try BrokerFixture.run("nftables", firewall: "nftables") { broker in
                let status = try broker.cli(["firewall", "status"]).output
                #expect(status.contains("nftables (table ip saffron, masquerade on)"), "\(status)")
                let token = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession, "no session in \(created)")
                let spicePort = try TestVMs.spicePort(session.vm)
                let element = "\(Topology.clientAddress) . \(session.host) . \(session.port) : \(Topology.hypervisorAddress) . \(spicePort)"
                #expect(try Self.forwards() == [element])

                let ticket = try API.consoleTicket(session.id, token: token)
                #expect(try SpiceLinkProbe.link(host: session.host, port: session.port, ticket: ticket, from: Topology.client)
                        == .accepted, "the console ticket through the nftables DNAT")

                #expect(try API.release(session.id, token: token).status == 204)
                #expect(try Self.forwards().isEmpty)
                let after = try SpiceLinkProbe.link(host: session.host, port: session.port, ticket: ticket, from: Topology.client)
                #expect(after != .accepted, "reached the desktop after the session ended: \(after)")
            }
        }
    }
}
