import Foundation
import Libvirt
import Testing

@Suite("DomainXML GPU host devices")
struct GPUDomainXMLTests {
    static let desktop = """
        <domain type='kvm'>
          <name>gpu-desk</name>
          <memory unit='KiB'>4194304</memory>
          <os><type arch='x86_64' machine='q35'>hvm</type></os>
          <features><acpi/><hyperv mode='custom'><relaxed state='on'/></hyperv></features>
          <devices>
            <graphics type='spice' autoport='yes'/>
          </devices>
        </domain>
        """
    static let address = PCIAddress(domain: 0, bus: 0x3b, slot: 0, function: 0)
    static let uuid = "4b20d080-1b54-4048-85b3-a6a62d165c01"

    @Test func passthroughAddsAManagedPCIHostdev() throws {
        let xml = try DomainXML.addingGPU(.pciPassthrough(Self.address), toDomainXML: Self.desktop)
        #expect(xml.contains("<hostdev mode=\"subsystem\" type=\"pci\" managed=\"yes\">"))
        #expect(xml.contains("<address domain=\"0x0000\" bus=\"0x3b\" slot=\"0x00\" function=\"0x0\">"))
        #expect(try DomainXML.gpuHostdevs(inDomainXML: xml) == [.pciPassthrough(Self.address)])
        #expect(try DomainXML.spiceGraphics(in: xml)?.autoport == true)
        try VirtXMLValidate.expectValid(xml, schema: "domain")
    }

    @Test func vgpuAddsAMediatedHostdevWithoutItsOwnDisplay() throws {
        let xml = try DomainXML.addingGPU(.mediated(uuid: Self.uuid), toDomainXML: Self.desktop)
        #expect(xml.contains("type=\"mdev\" model=\"vfio-pci\" display=\"off\""))
        #expect(xml.contains("uuid=\"\(Self.uuid)\""))
        #expect(try DomainXML.gpuHostdevs(inDomainXML: xml) == [.mediated(uuid: Self.uuid)])
        try VirtXMLValidate.expectValid(xml, schema: "domain")
    }

    @Test func addingTheSameGPUTwiceKeepsOneHostdev() throws {
        let once = try DomainXML.addingGPU(.mediated(uuid: Self.uuid), toDomainXML: Self.desktop)
        let twice = try DomainXML.addingGPU(.mediated(uuid: Self.uuid), toDomainXML: once)
        #expect(try DomainXML.gpuHostdevs(inDomainXML: twice).count == 1)
    }

    @Test func aDomainWithoutDevicesGetsThem() throws {
        let bare = "<domain type='kvm'><name>bare</name><memory>1048576</memory><os><type>hvm</type></os></domain>"
        let xml = try DomainXML.addingGPU(.pciPassthrough(Self.address), toDomainXML: bare)
        #expect(try DomainXML.gpuHostdevs(inDomainXML: xml) == [.pciPassthrough(Self.address)])
        try VirtXMLValidate.expectValid(xml, schema: "domain")
    }

    @Test func readsHostdevsAsLibvirtPrintsThem() throws {
        let live = """
            <domain type='kvm'><name>x</name><devices>
              <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0xaf' slot='0x00' function='0x1'/></source></hostdev>
              <hostdev mode='subsystem' type='mdev' managed='no' model='vfio-pci' display='off'><source><address uuid='4B20D080-1B54-4048-85B3-A6A62D165C01'/></source></hostdev>
              <hostdev mode='subsystem' type='usb' managed='yes'><source><vendor id='0x046d'/><product id='0xc52b'/></source></hostdev>
              <hostdev mode='subsystem' type='mdev' model='vfio-ccw'><source><address uuid='b1ae8bf6-38b0-4c81-9d44-78ce3f520496'/></source></hostdev>
            </devices></domain>
            """
        #expect(try DomainXML.gpuHostdevs(inDomainXML: live) == [
            .pciPassthrough(PCIAddress(bus: 0xaf, slot: 0, function: 1)), .mediated(uuid: Self.uuid),
        ])
    }

    @Test func hidingTheHypervisorKeepsOtherFeatures() throws {
        let xml = try DomainXML.hidingHypervisor(inDomainXML: Self.desktop, vendorID: "saffron0001")
        #expect(xml.contains("<hidden state=\"on\""))
        #expect(xml.contains("<vendor_id state=\"on\" value=\"saffron0001\""))
        #expect(xml.contains("<relaxed state=\"on\""))
        #expect(xml.contains("<acpi"))
        #expect(xml.contains("<hyperv mode=\"custom\">"))
        try VirtXMLValidate.expectValid(xml, schema: "domain")
        let both = try DomainXML.addingGPU(.mediated(uuid: Self.uuid), toDomainXML: xml)
        try VirtXMLValidate.expectValid(both, schema: "domain")
    }

    @Test func hidingWithoutVendorIDOnlyHidesKVM() throws {
        let bare = "<domain type='kvm'><name>bare</name><memory>1048576</memory><os><type>hvm</type></os></domain>"
        let xml = try DomainXML.hidingHypervisor(inDomainXML: bare)
        #expect(xml.contains("<features><kvm><hidden state=\"on\">"))
        #expect(!xml.contains("hyperv"))
        try VirtXMLValidate.expectValid(xml, schema: "domain")
    }

    @Test func refusesBadInputsBeforeLibvirtDoes() throws {
        #expect(throws: LibvirtError.self) {
            try DomainXML.addingGPU(.pciPassthrough(PCIAddress(bus: 0x3b, slot: 32, function: 0)), toDomainXML: Self.desktop)
        }
        #expect(throws: LibvirtError.self) {
            try DomainXML.addingGPU(.mediated(uuid: "not-a-uuid"), toDomainXML: Self.desktop)
        }
        #expect(throws: LibvirtError.self) { try DomainXML.hidingHypervisor(inDomainXML: Self.desktop, vendorID: "thirteen-long") }
        #expect(throws: LibvirtError.self) { try DomainXML.hidingHypervisor(inDomainXML: Self.desktop, vendorID: "a,b") }
        let passthroughHyperV = Self.desktop.replacingOccurrences(
            of: "<hyperv mode='custom'><relaxed state='on'/></hyperv>", with: "<hyperv mode='passthrough'/>")
        #expect(throws: LibvirtError.self) { try DomainXML.hidingHypervisor(inDomainXML: passthroughHyperV, vendorID: "x") }
        #expect(throws: LibvirtError.self) { try DomainXML.addingGPU(.pciPassthrough(Self.address), toDomainXML: "<pool/>") }
    }

    @Test func theValidatorRefusesABrokenHostdev() throws {
        let broken = Self.desktop.replacingOccurrences(
            of: "<devices>",
            with: "<devices><hostdev mode='subsystem' type='mdev' model='vfio-pci'><source><address uuid='nope'/></source></hostdev>")
        let result = try VirtXMLValidate.run(broken, schema: "domain")
        #expect(result.status != 0, "virt-xml-validate accepted: \(result.output)")
    }
}

/// libvirt's own schema check: `/usr/bin/virt-xml-validate FILE SCHEMA` (package libvirt-clients, which runs
/// `xmllint` from libxml2-utils).
enum VirtXMLValidate {
    static let program = "/usr/bin/virt-xml-validate"

    /// Exit status and combined output of validating `xml` against `schema` (e.g. `domain`).
    static func run(_ xml: String, schema: String) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-validate-\(UUID().uuidString).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = [file.path, schema]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Records an issue unless `xml` validates.
    static func expectValid(_ xml: String, schema: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try run(xml, schema: schema)
        #expect(result.status == 0, "virt-xml-validate refused it: \(result.output)\n\(xml)", sourceLocation: sourceLocation)
    }
}
