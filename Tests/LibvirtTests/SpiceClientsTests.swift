import Foundation
@testable import Libvirt
import Testing

/// Who is attached to a SPICE server, asked of QEMU (`query-spice`).
@Suite("SPICE clients from query-spice", .serialized)
struct SpiceClientsTests {
    @Test func channelsOfTheReplyBecomeClientAddresses() throws {
        let reply = """
            {"return": {"migrated": false, "enabled": true, "auth": "spice", "port": 5900, "host": "198.18.0.2",
             "channels": [
               {"port": "41234", "family": "ipv4", "channel-type": 1, "connection-id": 1804289383, "host": "198.18.1.2",
                "channel-id": 0, "tls": false},
               {"port": "41236", "family": "ipv4", "channel-type": 2, "connection-id": 1804289383, "host": "198.18.1.2",
                "channel-id": 0, "tls": false}],
             "mouse-mode": "server"}, "id": "libvirt-20"}
            """
        #expect(try SpiceClientList.clients(inQuerySpiceReply: reply) == ["198.18.1.2:41234", "198.18.1.2:41236"])
        #expect(try SpiceClientList.clients(inQuerySpiceReply: #"{"return": {"enabled": true, "channels": []}}"#).isEmpty)
        #expect(throws: LibvirtError.self) { try SpiceClientList.clients(inQuerySpiceReply: #"{"error": {"class": "x"}}"#) }
    }

    @Test(.enabled("qemu:///system answers") { await QemuSystemTests.reachable() }, .timeLimit(.minutes(1)))
    func aRunningDomainWithoutViewersHasNoClientsAndTakesATicketForAWhile() async throws {
        let connection = try await LibvirtConnection.open("qemu:///system")
        defer { connection.close() }
        let name = Fixtures.uniqueName("saffron-libvirttest")
        try await Fixtures.withDomain(name, xml: QemuSystemTests.domainXML(named: name), on: connection) {
            try await connection.lockSpicePassword(ofDomain: name)
            try await connection.start(named: name)
            #expect(try await connection.spiceClients(ofDomain: name).isEmpty)

            // A ticket valid for a while counts from when it is set, cut to the whole second libvirt holds; the
            // expiry libvirt holds is the one returned.
            let before = Date()
            let validUntil = try await connection.setSpiceTicket(ofDomain: name, ticket: "t1cket", validFor: 90, connected: .keep)
            #expect(validUntil > before.addingTimeInterval(89) && validUntil <= Date().addingTimeInterval(90))
            #expect(validUntil.timeIntervalSince1970 == validUntil.timeIntervalSince1970.rounded(.down))
            let graphics = try #require(try await connection.spiceGraphics(ofDomain: name))
            #expect(graphics.passwordValidTo == Fixtures.utcTimestamp(validUntil))
        }
    }

    @Test func theTestDriverCannotTell() async throws {
        let connection = try await LibvirtConnection.open("test:///default")
        defer { connection.close() }
        await #expect(throws: LibvirtError.self) { try await connection.spiceClients(ofDomain: "test") }
    }
}
