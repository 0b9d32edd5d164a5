import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension DomainXML {
    /// A template pool's desktop: the template domain XML made into the domain `name`, booting from its own disk at
    /// `diskPath` (a qcow2 overlay), with SPICE ticketing locked by `password`.
    ///
    /// The template's `<uuid>` and interface `<mac>` addresses are dropped so libvirt gives each desktop its own. The
    /// first disk of the template becomes the overlay (a disk is added as `vda` on virtio when there is none).
    /// Throws when the template is not a domain or has no SPICE graphics.
    public static func desktop(fromTemplate template: String, name: String, diskPath: String, password: String)
        throws -> String
    {
        let locked = try lockingSpicePassword(inDomainXML: template, password: password)
        let document = try parse(locked)
        guard let root = document.rootElement() else { throw LibvirtError.xml("template has no root element") }
        for child in root.elements(forName: "name") + root.elements(forName: "uuid") { child.detach() }
        root.insertChild(XMLElement(name: "name", stringValue: name), at: 0)
        guard let devices = root.elements(forName: "devices").first else {
            throw LibvirtError.xml("template has no <devices> element")
        }
        for interface in devices.elements(forName: "interface") {
            for mac in interface.elements(forName: "mac") { mac.detach() }
        }
        let disks = devices.elements(forName: "disk").filter { ($0.attributeValue("device") ?? "disk") == "disk" }
        if let disk = disks.first {
            pointDisk(disk, at: diskPath)
        } else {
            let disk = XMLElement(name: "disk")
            disk.setAttribute("device", "disk")
            pointDisk(disk, at: diskPath)
            let target = XMLElement(name: "target")
            target.setAttribute("dev", "vda")
            target.setAttribute("bus", "virtio")
            disk.addChild(target)
            devices.addChild(disk)
        }
        return root.xmlString
    }

    /// The path of the first disk's file source, if it has one.
    public static func firstDiskPath(in domainXML: String) throws -> String? {
        let document = try parse(domainXML)
        let disks = document.rootElement()?.elements(forName: "devices").flatMap { $0.elements(forName: "disk") } ?? []
        return disks.first { ($0.attributeValue("device") ?? "disk") == "disk" }?
            .elements(forName: "source").first?.attributeValue("file")
    }

    /// Makes `disk` a qcow2 file disk reading `path`, without any backing chain of its own.
    private static func pointDisk(_ disk: XMLElement, at path: String) {
        disk.setAttribute("type", "file")
        for child in disk.elements(forName: "source") + disk.elements(forName: "backingStore") + disk.elements(forName: "driver") {
            child.detach()
        }
        let driver = XMLElement(name: "driver")
        driver.setAttribute("name", "qemu")
        driver.setAttribute("type", "qcow2")
        let source = XMLElement(name: "source")
        source.setAttribute("file", path)
        let rest = disk.children ?? []
        for child in rest { child.detach() }
        for child in [driver, source] + rest { disk.addChild(child) }
    }
}
