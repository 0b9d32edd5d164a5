import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension DomainXML {
    /// The domain XML with `hostdev` added under `<devices>`; unchanged when the domain already has that GPU.
    ///
    /// A pass-through device becomes `<hostdev mode='subsystem' type='pci' managed='yes'>` so libvirt detaches it
    /// from the host driver at start; a vGPU becomes `<hostdev mode='subsystem' type='mdev' model='vfio-pci'
    /// display='off'>`, leaving the desktop's display to SPICE. Throws for an out-of-range PCI address or a
    /// malformed mediated-device UUID.
    public static func addingGPU(_ hostdev: GPUHostdev, toDomainXML domainXML: String) throws -> String {
        try validate(hostdev)
        let document = try parse(domainXML)
        let root = try domainRoot(of: document)
        if try gpuHostdevs(in: root).contains(hostdev) { return root.xmlString }
        let devices = root.elements(forName: "devices").first ?? appendingChild("devices", to: root)
        devices.addChild(hostdevElement(hostdev))
        return root.xmlString
    }

    /// The domain XML with the hypervisor hidden from the guest: `<kvm><hidden state='on'/></kvm>` and, when
    /// `vendorID` is given, `<hyperv mode='custom'><vendor_id state='on' value='…'/></hyperv>` in `<features>`.
    ///
    /// Some guest GPU drivers refuse to run once they see a hypervisor. Other `<features>` and Hyper-V
    /// enlightenments stay as they were. Throws unless `vendorID` is 1...12 characters without a comma, or when the
    /// domain's Hyper-V features are in `passthrough` mode, which takes no vendor id.
    public static func hidingHypervisor(inDomainXML domainXML: String, vendorID: String? = nil) throws -> String {
        if let vendorID { try validateVendorID(vendorID) }
        let document = try parse(domainXML)
        let root = try domainRoot(of: document)
        let features = root.elements(forName: "features").first ?? appendingChild("features", to: root)
        let kvm = features.elements(forName: "kvm").first ?? appendingChild("kvm", to: features)
        let hidden = kvm.elements(forName: "hidden").first ?? appendingChild("hidden", to: kvm)
        hidden.setAttribute("state", "on")
        guard let vendorID else { return root.xmlString }
        let hyperv = features.elements(forName: "hyperv").first ?? appendingChild("hyperv", to: features)
        if hyperv.attributeValue("mode") == "passthrough" {
            throw LibvirtError.invalidArgument("the domain's Hyper-V features are in passthrough mode, which takes no vendor_id")
        }
        hyperv.setAttribute("mode", "custom")
        let vendor = hyperv.elements(forName: "vendor_id").first ?? appendingChild("vendor_id", to: hyperv)
        vendor.setAttribute("state", "on")
        vendor.setAttribute("value", vendorID)
        return root.xmlString
    }

    /// The GPUs a domain already has: its PCI `<hostdev>`s and its vfio-pci mediated `<hostdev>`s.
    ///
    /// Every PCI host device counts, GPU or not, since the XML does not say what the device is; callers match the
    /// addresses against the host's GPUs.
    public static func gpuHostdevs(inDomainXML domainXML: String) throws -> [GPUHostdev] {
        try gpuHostdevs(in: domainRoot(of: parse(domainXML)))
    }

    private static func gpuHostdevs(in root: XMLElement) throws -> [GPUHostdev] {
        let hostdevs = root.elements(forName: "devices").flatMap { $0.elements(forName: "hostdev") }
        return hostdevs.compactMap { hostdev in
            guard hostdev.attributeValue("mode") ?? "subsystem" == "subsystem",
                let address = hostdev.elements(forName: "source").first?.elements(forName: "address").first
            else { return nil }
            switch hostdev.attributeValue("type") {
            case "pci": return pciAddress(of: address).map(GPUHostdev.pciPassthrough)
            case "mdev" where hostdev.attributeValue("model") == "vfio-pci":
                return address.attributeValue("uuid").map { .mediated(uuid: $0.lowercased()) }
            default: return nil
            }
        }
    }

    private static func hostdevElement(_ hostdev: GPUHostdev) -> XMLElement {
        let element = XMLElement(name: "hostdev")
        element.setAttribute("mode", "subsystem")
        let address = XMLElement(name: "address")
        switch hostdev {
        case .pciPassthrough(let pci):
            element.setAttribute("type", "pci")
            element.setAttribute("managed", "yes")
            address.setAttribute("domain", String(format: "0x%04x", pci.domain))
            address.setAttribute("bus", String(format: "0x%02x", pci.bus))
            address.setAttribute("slot", String(format: "0x%02x", pci.slot))
            address.setAttribute("function", String(format: "0x%x", pci.function))
        case .mediated(let uuid):
            element.setAttribute("type", "mdev")
            element.setAttribute("model", "vfio-pci")
            element.setAttribute("display", "off")
            address.setAttribute("uuid", uuid)
        }
        let source = XMLElement(name: "source")
        source.addChild(address)
        element.addChild(source)
        return element
    }

    /// Reads a `<address domain= bus= slot= function=>` whose numbers libvirt writes in hex (`0x3b`) or decimal.
    private static func pciAddress(of element: XMLElement) -> PCIAddress? {
        func number(_ name: String) -> Int? {
            guard let text = element.attributeValue(name) else { return nil }
            return text.hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        }
        guard let bus = number("bus"), let slot = number("slot"), let function = number("function") else { return nil }
        return PCIAddress(domain: number("domain") ?? 0, bus: bus, slot: slot, function: function)
    }

    private static func validate(_ hostdev: GPUHostdev) throws {
        switch hostdev {
        case .pciPassthrough(let address):
            guard address.isValid else { throw LibvirtError.invalidArgument("PCI address \(address) is out of range") }
        case .mediated(let uuid):
            guard UUID(uuidString: uuid) != nil, uuid == uuid.lowercased() else {
                throw LibvirtError.invalidArgument("'\(uuid)' is not a lowercase mediated device UUID")
            }
        }
    }

    private static func validateVendorID(_ vendorID: String) throws {
        guard (1...12).contains(vendorID.count), !vendorID.contains(",") else {
            throw LibvirtError.invalidArgument("Hyper-V vendor_id must be 1...12 characters without a comma")
        }
    }

    private static func domainRoot(of document: XMLDocument) throws -> XMLElement {
        guard let root = document.rootElement(), root.name == "domain" else {
            throw LibvirtError.xml("expected a <domain> root element")
        }
        return root
    }

    private static func appendingChild(_ name: String, to parent: XMLElement) -> XMLElement {
        let child = XMLElement(name: name)
        parent.addChild(child)
        return child
    }
}
