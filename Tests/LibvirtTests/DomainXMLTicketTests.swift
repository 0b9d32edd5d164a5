import Foundation
import Libvirt
import Testing

@Suite("DomainXML tickets and locking")
struct DomainXMLTicketTests {
    private func element() throws -> String {
        try #require(try DomainXML.spiceGraphicsElement(in: Fixtures.liveAutoport))
    }

    /// Re-parses a graphics element by wrapping it in a domain.
    private func parsed(_ graphics: String) throws -> SpiceGraphics {
        let domain = "<domain><devices>\(graphics)</devices></domain>"
        return try #require(try DomainXML.spiceGraphics(in: domain))
    }

    @Test func setsTicketExpiryInUTCAndConnected() throws {
        let validTo = Date(timeIntervalSince1970: 1_700_000_000.9)  // 2023-11-14T22:13:20.9Z
        let updated = try DomainXML.settingTicket(
            onGraphicsElement: try element(), ticket: "s3cret", validTo: validTo, connected: .keep)
        #expect(updated.contains("passwd=\"s3cret\""))
        #expect(updated.contains("passwdValidTo=\"2023-11-14T22:13:20\""))
        #expect(updated.contains("connected=\"keep\""))
        let graphics = try parsed(updated)
        #expect(graphics.port == 5907 && graphics.tlsPort == 5908 && graphics.listen == "0.0.0.0")
        #expect(updated.contains("<image compression=\"off\""))
    }

    @Test func nilValidToRemovesExpiryAndNilConnectedKeepsAttribute() throws {
        let withDisconnect = try DomainXML.settingTicket(
            onGraphicsElement: try element(), ticket: "a", validTo: nil, connected: .disconnect)
        #expect(!withDisconnect.contains("passwdValidTo"))
        let again = try DomainXML.settingTicket(
            onGraphicsElement: withDisconnect, ticket: "b", validTo: nil, connected: nil)
        #expect(again.contains("connected=\"disconnect\""))
        #expect(again.contains("passwd=\"b\""))
    }

    @Test(arguments: [1, 60])
    func acceptsTicketLengthsAtTheBounds(length: Int) throws {
        let ticket = String(repeating: "x", count: length)
        let updated = try DomainXML.settingTicket(
            onGraphicsElement: try element(), ticket: ticket, validTo: nil, connected: .fail)
        #expect(updated.contains("passwd=\"\(ticket)\""))
    }

    @Test(arguments: ["", String(repeating: "x", count: 61), String(repeating: "é", count: 31)])
    func rejectsTicketsOutsideOneToSixtyBytes(ticket: String) throws {
        let error = try #require(throws: LibvirtError.self) {
            try DomainXML.settingTicket(onGraphicsElement: try element(), ticket: ticket, validTo: nil, connected: nil)
        }
        #expect(error.message.contains(ticket.isEmpty ? "empty" : "at most 60"))
    }

    @Test func rejectsNonGraphicsElement() {
        #expect(throws: LibvirtError.self) {
            try DomainXML.settingTicket(onGraphicsElement: "<disk/>", ticket: "a", validTo: nil, connected: nil)
        }
    }

    @Test func lockingSetsPastExpiryAndKeepsEverythingElse() throws {
        let locked = try DomainXML.lockingSpicePassword(inDomainXML: Fixtures.fixedPort, password: "pw")
        let graphics = try #require(try DomainXML.spiceGraphics(in: locked))
        #expect(graphics == SpiceGraphics(
            listen: "127.0.0.1", port: 5901, autoport: false, hasPassword: true,
            passwordValidTo: "1970-01-01T00:00:00"))
        let element = try #require(try DomainXML.spiceGraphicsElement(in: locked))
        #expect(element.contains("keymap=\"en-us\""))
        #expect(element.contains("<channel name=\"main\" mode=\"secure\""))
        #expect(locked.contains("passwd=\"vncsecret\""))  // the VNC display is untouched
        #expect(locked.contains("<memory unit=\"KiB\">65536</memory>"))
        #expect(locked.hasPrefix("<domain"))
    }

    @Test func lockingIsIdempotentAndNeedsSpice() throws {
        let once = try DomainXML.lockingSpicePassword(inDomainXML: Fixtures.liveAutoport, password: "pw")
        let twice = try DomainXML.lockingSpicePassword(inDomainXML: once, password: "pw")
        #expect(once == twice)
        #expect(throws: LibvirtError.self) {
            try DomainXML.lockingSpicePassword(inDomainXML: Fixtures.vncOnly, password: "pw")
        }
        #expect(throws: LibvirtError.self) {
            try DomainXML.lockingSpicePassword(inDomainXML: Fixtures.fixedPort, password: "")
        }
    }
}
