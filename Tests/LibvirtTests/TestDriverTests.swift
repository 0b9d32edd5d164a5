import Foundation
import Libvirt
import Testing

/// Runs against libvirt's in-process `test:///default` driver, which ships a running domain named "test".
/// The driver's state is shared by all connections in the process, so every test uses its own domain name.
@Suite("LibvirtConnection on test:///default")
struct TestDriverTests {
    private static let uri = "test:///default"

    @Test func opensAndListsTheBuiltInDomain() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        #expect(connection.uri == Self.uri)
        let test = try #require(try await connection.domains().first { $0.name == "test" })
        #expect(test.state == .running)
        #expect(test.uuid.count == 36)
        #expect(try await connection.domain(named: "test") == test)
    }

    @Test func unknownDomainThrowsNotFoundWithLibvirtsMessage() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let error = try await #require(throws: LibvirtError.self) {
            try await connection.domain(named: "saffron-no-such-domain")
        }
        #expect(error.isNotFound)
        #expect(error.message.hasPrefix("Domain not found"))  // libvirt's text; qemu adds the name
        #expect(error.domain != 0)
        await #expect(throws: LibvirtError.self) { try await connection.start(named: "saffron-no-such-domain") }
    }

    @Test func badURIThrows() async throws {
        let error = try await #require(throws: LibvirtError.self) {
            try await LibvirtConnection.open("test:///nonexistent/saffron.xml")
        }
        #expect(!error.message.isEmpty)
        #expect(!error.isNotFound)
    }

    @Test func defineStartDestroyUndefine() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let name = Fixtures.uniqueName()
        let defined = try await connection.define(xml: Fixtures.testDomain(named: name))
        #expect(defined.name == name && defined.state == .shutoff)
        #expect(try await connection.domains().contains(defined))

        try await connection.start(named: name)
        #expect(try await connection.domain(named: name).state == .running)
        let live = try #require(try await connection.spiceGraphics(ofDomain: name))
        #expect(live == SpiceGraphics(listen: "127.0.0.1", port: 5901, autoport: false))

        try await connection.destroy(named: name)
        #expect(try await connection.domain(named: name).state == .shutoff)
        try await connection.undefine(named: name)
        let error = try await #require(throws: LibvirtError.self) { try await connection.domain(named: name) }
        #expect(error.isNotFound)
    }

    @Test func lockSpicePasswordPersistsAndIsIdempotent() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let name = Fixtures.uniqueName()
        try await Fixtures.withDomain(name, xml: Fixtures.testDomain(named: name), on: connection) {
            try await lockAndStart(name, on: connection)
        }
    }

    private func lockAndStart(_ name: String, on connection: LibvirtConnection) async throws {
        try await connection.lockSpicePassword(ofDomain: name)
        let locked = try #require(try await connection.spiceGraphics(ofDomain: name, inactive: true))
        #expect(locked.hasPassword)
        #expect(locked.passwordValidTo == "1970-01-01T00:00:00")
        #expect(locked.listen == "127.0.0.1" && locked.port == 5901 && !locked.autoport)
        let xml = try await connection.xml(ofDomain: name, inactive: true)
        #expect(xml.contains("passwd="))

        try await connection.lockSpicePassword(ofDomain: name)
        #expect(try await connection.xml(ofDomain: name, inactive: true) == xml)

        try await connection.start(named: name)
        #expect(try await connection.spiceGraphics(ofDomain: name)?.hasPassword == true)
    }

    @Test func invalidTicketIsRefusedBeforeLibvirt() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        for ticket in ["", String(repeating: "t", count: 61)] {
            let error = try await #require(throws: LibvirtError.self) {
                // The domain does not exist: a not-found error would mean libvirt was called.
                try await connection.setSpiceTicket(
                    ofDomain: "saffron-no-such-domain", ticket: ticket, validUntil: .now, connected: .keep)
            }
            #expect(!error.isNotFound)
            #expect(error.message.contains("ticket"))
        }
    }

    @Test func setSpiceTicketReachesUpdateDevice() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        // The built-in "test" domain has no SPICE graphics: refused by us, after reading its XML.
        let noSpice = try await #require(throws: LibvirtError.self) {
            try await connection.setSpiceTicket(ofDomain: "test", ticket: "abc", validUntil: .now, connected: .keep)
        }
        #expect(noSpice.message.contains("no SPICE graphics"))

        // The test driver lacks virDomainUpdateDeviceFlags, so a SPICE domain gets libvirt's own refusal.
        let name = Fixtures.uniqueName()
        _ = try await connection.define(xml: Fixtures.testDomain(named: name))
        try await connection.start(named: name)
        let unsupported = await #expect(throws: LibvirtError.self) {
            try await connection.setSpiceTicket(ofDomain: name, ticket: "abc", validUntil: .now, connected: .keep)
        }
        try await connection.destroy(named: name)
        try await connection.undefine(named: name)
        #expect(unsupported?.code == 3)  // VIR_ERR_NO_SUPPORT
        #expect(unsupported?.message.contains("virDomainUpdateDeviceFlags") == true)
    }

    @Test func callsAfterCloseThrow() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        connection.close()
        connection.close()
        await #expect(throws: LibvirtError.self) { try await connection.domains() }
    }
}
