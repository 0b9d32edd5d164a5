import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

extension DomainXML {
    /// Parses XML text, turning parser failures into a `LibvirtError` with the parser's reason.
    ///
    /// swift-corelibs-foundation's `XMLDocument` parses in libxml2's recover mode and accepts malformed input, so
    /// well-formedness is checked first with `XMLParser`, which reports errors instead of repairing them (note:
    /// its `parse()` can return true for truncated input, so `parserError` is checked as well).
    static func parse(_ xml: String) throws -> XMLDocument {
        let checker = XMLParser(data: Data(xml.utf8))
        guard checker.parse(), checker.parserError == nil else {
            let reason = checker.parserError.map { "\($0)" } ?? "not well-formed"
            throw LibvirtError.xml("invalid XML: \(reason)")
        }
        do {
            return try XMLDocument(xmlString: xml, options: [.nodePreserveWhitespace])
        } catch {
            throw LibvirtError.xml("invalid XML: \(error)")
        }
    }

    /// The first `/domain/devices/graphics[@type='spice']` element, if any.
    static func spiceElement(in document: XMLDocument) throws -> XMLElement? {
        guard let root = document.rootElement(), root.name == "domain" else {
            throw LibvirtError.xml("expected a <domain> root element")
        }
        let devices = root.elements(forName: "devices")
        let graphics = devices.flatMap { $0.elements(forName: "graphics") }
        return graphics.first { $0.attribute(forName: "type")?.stringValue == "spice" }
    }
}

extension XMLElement {
    /// Sets an attribute, or removes it when `value` is nil.
    func setAttribute(_ name: String, _ value: String?) {
        removeAttribute(forName: name)
        if let value { addAttribute(XMLNode.attribute(withName: name, stringValue: value) as! XMLNode) }
    }

    /// The string value of an attribute, if present.
    func attributeValue(_ name: String) -> String? { attribute(forName: name)?.stringValue }
}

extension SpiceGraphics {
    /// Reads a `<graphics type='spice'>` element.
    init(element: XMLElement) {
        let listenChild = element.elements(forName: "listen").lazy.compactMap { $0.attributeValue("address") }.first
        let port = Self.assignedPort(element.attributeValue("port"))
        let autoportValue = element.attributeValue("autoport")
        self.init(
            listen: element.attributeValue("listen") ?? listenChild,
            port: port,
            tlsPort: Self.assignedPort(element.attributeValue("tlsPort")),
            autoport: autoportValue.map { $0 == "yes" } ?? (port == nil),
            hasPassword: element.attributeValue("passwd") != nil,
            passwordValidTo: element.attributeValue("passwdValidTo"))
    }

    /// A port attribute as a number; nil when absent or not assigned (libvirt writes `-1`).
    private static func assignedPort(_ text: String?) -> Int? {
        guard let text, let value = Int(text), value > 0 else { return nil }
        return value
    }
}
