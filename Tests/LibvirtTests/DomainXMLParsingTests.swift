import Foundation
import Libvirt
import Testing

@Suite("DomainXML reading")
struct DomainXMLParsingTests {
    @Test func readsListenAttributeAndFixedPort() throws {
        let graphics = try #require(try DomainXML.spiceGraphics(in: Fixtures.fixedPort))
        #expect(graphics == SpiceGraphics(listen: "127.0.0.1", port: 5901, autoport: false))
    }

    @Test func readsListenChildPortsAndPassword() throws {
        let graphics = try #require(try DomainXML.spiceGraphics(in: Fixtures.liveAutoport))
        #expect(graphics.listen == "0.0.0.0")
        #expect(graphics.port == 5907)
        #expect(graphics.tlsPort == 5908)
        #expect(graphics.autoport)
        #expect(graphics.hasPassword)
        #expect(graphics.passwordValidTo == "2030-01-02T03:04:05")
    }

    @Test func unassignedPortIsNil() throws {
        let graphics = try #require(try DomainXML.spiceGraphics(in: Fixtures.inactiveAutoport))
        #expect(graphics.port == nil)
        #expect(graphics.tlsPort == nil)
        #expect(graphics.autoport)
        #expect(graphics.listen == "127.0.0.1")
        #expect(!graphics.hasPassword)
        #expect(graphics.passwordValidTo == nil)
    }

    @Test func noSpiceGraphicsIsNil() throws {
        #expect(try DomainXML.spiceGraphics(in: Fixtures.vncOnly) == nil)
        #expect(try DomainXML.spiceGraphicsElement(in: Fixtures.vncOnly) == nil)
        #expect(try DomainXML.spiceGraphics(in: "<domain><name>x</name></domain>") == nil)
    }

    @Test func elementIsSerializedWithChildren() throws {
        let element = try #require(try DomainXML.spiceGraphicsElement(in: Fixtures.liveAutoport))
        #expect(element.hasPrefix("<graphics"))
        #expect(element.contains("type=\"spice\""))
        #expect(element.contains("<listen type=\"address\" address=\"0.0.0.0\""))
        #expect(element.contains("<image compression=\"off\""))
        #expect(!element.contains("vnc"))
    }

    @Test func malformedXMLThrows() {
        #expect(throws: LibvirtError.self) { try DomainXML.spiceGraphics(in: "<domain><devices>") }
        #expect(throws: LibvirtError.self) { try DomainXML.spiceGraphics(in: "<network/>") }
    }
}
