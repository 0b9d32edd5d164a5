import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Pure helpers over libvirt domain XML, unit-testable without libvirt.
public enum DomainXML {
    /// The password set on a persistent config by `lockingSpicePassword`: expired since the epoch.
    static let lockedValidTo = "1970-01-01T00:00:00"

    /// The first `<graphics type='spice'>` of a domain, parsed; nil when the domain has none.
    public static func spiceGraphics(in domainXML: String) throws -> SpiceGraphics? {
        let document = try parse(domainXML)
        return try spiceElement(in: document).map(SpiceGraphics.init(element:))
    }

    /// The first `<graphics type='spice'>` element serialized with its children (e.g. `<listen>`); nil when none.
    public static func spiceGraphicsElement(in domainXML: String) throws -> String? {
        let document = try parse(domainXML)
        return try spiceElement(in: document)?.xmlString
    }

    /// A graphics element with a new ticket: sets `passwd`, `passwdValidTo` and `connected`, leaving the rest.
    ///
    /// `validTo` nil removes `passwdValidTo` (the ticket never expires); `connected` nil leaves that attribute as
    /// it was. Throws unless the ticket is 1...60 UTF-8 bytes.
    public static func settingTicket(
        onGraphicsElement graphicsXML: String, ticket: String, validTo: Date?, connected: GraphicsConnectedPolicy?
    ) throws -> String {
        try validateTicket(ticket)
        let element = try parse(graphicsXML).rootElement()
        guard let element, element.name == "graphics" else {
            throw LibvirtError.xml("expected a <graphics> element")
        }
        element.setAttribute("passwd", ticket)
        element.setAttribute("passwdValidTo", validTo.map(formatValidTo))
        if let connected { element.setAttribute("connected", connected.rawValue) }
        return element.xmlString
    }

    /// The whole domain XML with its SPICE graphics given `password` and a `passwdValidTo` in the past.
    ///
    /// A domain started from such a config has SPICE ticketing enabled but refuses every client until a
    /// fresh ticket is set. Throws when the domain has no SPICE graphics or the password is not 1...60 bytes.
    public static func lockingSpicePassword(inDomainXML domainXML: String, password: String) throws -> String {
        try validateTicket(password)
        let document = try parse(domainXML)
        guard let element = try spiceElement(in: document) else {
            throw LibvirtError.xml("domain has no <graphics type='spice'> element")
        }
        element.setAttribute("passwd", password)
        element.setAttribute("passwdValidTo", lockedValidTo)
        guard let root = document.rootElement() else { throw LibvirtError.xml("domain XML has no root element") }
        return root.xmlString
    }

    /// Formats a date the way libvirt reads `passwdValidTo`: UTC, `YYYY-MM-DDTHH:MM:SS`, seconds truncated.
    static func formatValidTo(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// Throws unless the ticket is 1...60 bytes of UTF-8, the limit libvirt and SPICE accept.
    static func validateTicket(_ ticket: String) throws {
        let count = ticket.utf8.count
        guard count >= 1 else { throw LibvirtError.invalidArgument("SPICE ticket must not be empty") }
        guard count <= 60 else {
            throw LibvirtError.invalidArgument("SPICE ticket is \(count) bytes; at most 60 are allowed")
        }
    }
}
