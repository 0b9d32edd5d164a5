import Broker
import Foundation
import Libvirt
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What the GPU inventory reads from one node device's XML: a PCI function or a mediated device, or neither.
enum NodeDeviceXML {
    /// A PCI function with its class, address, names and offered mediated device types.
    case pci(PCIFunction)
    /// A mediated device of type `typeID` created on the device named `parent`.
    case mediated(parent: String, typeID: String)
    /// Anything else (the computer, USB, network interfaces, ...).
    case other

    struct PCIFunction {
        var pciClass: Int?
        var address: PCIAddress
        var vendorID: Int?
        var productID: Int?
        var vendor: String?
        var product: String?
        var offeredTypes: [OfferedType]
    }

    /// One `<type>` of a `<capability type='mdev_types'>`.
    struct OfferedType {
        var id: String
        var name: String?
        var deviceAPI: String
        var available: Int
    }

    /// Parses a `<device>` document; throws a `BrokerError` when libvirt handed over XML that is not well-formed
    /// or a PCI capability without its address.
    init(_ device: NodeDevice) throws {
        let checker = XMLParser(data: Data(device.xml.utf8))
        guard checker.parse(), checker.parserError == nil,
            let root = try? XMLDocument(xmlString: device.xml, options: []).rootElement(), root.name == "device"
        else { throw BrokerError.hypervisor("libvirt gave unreadable XML for node device \(device.name).") }
        let capabilities = root.elements(forName: "capability")
        if let pci = capabilities.first(where: { $0.attribute(forName: "type")?.stringValue == "pci" }) {
            self = .pci(try Self.pciFunction(pci, device: device.name))
        } else if let mdev = capabilities.first(where: { $0.attribute(forName: "type")?.stringValue == "mdev" }),
            let typeID = mdev.elements(forName: "type").first?.attribute(forName: "id")?.stringValue,
            let parent = root.child("parent")
        {
            self = .mediated(parent: parent, typeID: typeID)
        } else {
            self = .other
        }
    }

    private static func pciFunction(_ capability: XMLElement, device: String) throws -> PCIFunction {
        guard let bus = capability.number("bus"), let slot = capability.number("slot"),
            let function = capability.number("function")
        else { throw BrokerError.hypervisor("Node device \(device) is a PCI device without a full address.") }
        let vendor = capability.elements(forName: "vendor").first
        let product = capability.elements(forName: "product").first
        let types = capability.elements(forName: "capability")
            .filter { $0.attribute(forName: "type")?.stringValue == "mdev_types" }
            .flatMap { $0.elements(forName: "type") }
            .compactMap { type -> OfferedType? in
                guard let id = type.attribute(forName: "id")?.stringValue else { return nil }
                return OfferedType(
                    id: id, name: type.child("name"), deviceAPI: type.child("deviceAPI") ?? "vfio-pci",
                    available: type.number("availableInstances") ?? 0)
            }
        return PCIFunction(
            pciClass: capability.number("class"),
            address: PCIAddress(domain: capability.number("domain") ?? 0, bus: bus, slot: slot, function: function),
            vendorID: vendor?.attribute(forName: "id")?.stringValue.flatMap(parseNumber),
            productID: product?.attribute(forName: "id")?.stringValue.flatMap(parseNumber),
            vendor: vendor?.stringValue.flatMap(nonEmpty), product: product?.stringValue.flatMap(nonEmpty),
            offeredTypes: types)
    }
}

/// A number as libvirt writes it in node device XML: decimal (`<bus>59</bus>`) or hex (`0x030200`, `id='0x10de'`).
func parseNumber(_ text: String) -> Int? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.hasPrefix("0x") ? Int(trimmed.dropFirst(2), radix: 16) : Int(trimmed)
}

private func nonEmpty(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

extension XMLElement {
    /// The trimmed text of the first child element called `name`, nil when absent or empty.
    fileprivate func child(_ name: String) -> String? {
        elements(forName: name).first?.stringValue.flatMap(nonEmpty)
    }

    /// The first child element called `name` read as a number.
    fileprivate func number(_ name: String) -> Int? { child(name).flatMap(parseNumber) }
}
