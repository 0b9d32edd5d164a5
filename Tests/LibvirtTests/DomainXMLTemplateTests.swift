import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Libvirt
import Testing

/// Turning a template pool's domain XML into one desktop's definition.
@Suite("DomainXML.desktop(fromTemplate:)")
struct DomainXMLTemplateTests {
    private static let template = """
        <domain type='kvm'>
          <name>golden</name>
          <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
          <memory unit='MiB'>256</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <disk type='block' device='cdrom'><target dev='sdb' bus='sata'/></disk>
            <disk type='block' device='disk'>
              <driver name='qemu' type='raw'/>
              <source dev='/dev/vg/golden'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            <interface type='network'><mac address='52:54:00:11:22:33'/><source network='default'/></interface>
            <graphics type='spice' autoport='yes' listen='127.0.0.1'/>
            <video><model type='qxl'/></video>
          </devices>
        </domain>
        """

    @Test func firstDiskBecomesTheOverlayAndIdentityIsDropped() throws {
        let xml = try DomainXML.desktop(
            fromTemplate: Self.template, name: "lab-007", diskPath: "/var/lib/saffron/lab-007.qcow2", password: "locked-x")
        #expect(xml.contains("<name>lab-007</name>"))
        #expect(!xml.contains("golden"))
        #expect(!xml.contains("6695eb01"))
        #expect(!xml.contains("52:54:00:11:22:33"))
        #expect(xml.contains("<source network=\"default\""))
        #expect(try DomainXML.firstDiskPath(in: xml) == "/var/lib/saffron/lab-007.qcow2")
        #expect(xml.contains("type=\"qcow2\""))
        #expect(xml.contains("device=\"cdrom\""))  // other disks stay
        let graphics = try #require(try DomainXML.spiceGraphics(in: xml))
        #expect(graphics.hasPassword)
        #expect(xml.contains("passwdValidTo=\"1970-01-01T00:00:00\""))
    }

    @Test func metacharactersInTheNameAndPathStayText() throws {
        let name = #"o"f'f;i=c<e></name><uuid>1</uuid>&amp;$(id)-001"#
        let path = #"/var/lib/saffron/x'"<disk>&.qcow2"#
        let xml = try DomainXML.desktop(fromTemplate: Self.template, name: name, diskPath: path, password: "locked-x")
        let document = try XMLDocument(xmlString: xml)
        let root = try #require(document.rootElement())
        #expect(root.elements(forName: "name").map(\.stringValue) == [name], "\(xml)")
        #expect(root.elements(forName: "uuid").isEmpty, "the name added an element: \(xml)")
        #expect(try DomainXML.firstDiskPath(in: xml) == path)
        #expect(root.elements(forName: "devices").first?.elements(forName: "disk").count == 2)
    }

    @Test func templateWithoutDiskGetsOne() throws {
        let template = """
            <domain type='qemu'><name>t</name><memory>65536</memory><os><type>hvm</type></os>
            <devices><graphics type='spice' autoport='yes'/></devices></domain>
            """
        let xml = try DomainXML.desktop(fromTemplate: template, name: "d1", diskPath: "/p/d1.qcow2", password: "pw")
        #expect(try DomainXML.firstDiskPath(in: xml) == "/p/d1.qcow2")
        #expect(xml.contains("dev=\"vda\""))
    }

    @Test func templateWithoutSpiceIsRefused() {
        let template = "<domain type='qemu'><name>t</name><devices><graphics type='vnc'/></devices></domain>"
        #expect(throws: LibvirtError.self) {
            try DomainXML.desktop(fromTemplate: template, name: "d1", diskPath: "/p/d1.qcow2", password: "pw")
        }
        #expect(throws: LibvirtError.self) {
            try DomainXML.desktop(fromTemplate: "<network/>", name: "d1", diskPath: "/p", password: "pw")
        }
    }

    @Test func desktopDefinesOnTheTestDriver() async throws {
        let connection = try await LibvirtConnection.open("test:///default")
        defer { connection.close() }
        let name = Fixtures.uniqueName("desk")
        let xml = try DomainXML.desktop(
            fromTemplate: Fixtures.testDomain(named: "ignored"), name: name, diskPath: "/default-pool/\(name).qcow2",
            password: "pw")
        let info = try await connection.define(xml: xml)
        #expect(info.name == name)
        #expect(try await connection.spiceGraphics(ofDomain: name, inactive: true)?.hasPassword == true)
        try await connection.undefine(named: name)
    }
}
