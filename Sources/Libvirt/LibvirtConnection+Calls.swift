internal import CLibvirt
import Foundation

/// Synchronous libvirt calls shared by the async methods; each runs on the connection's queue.
extension LibvirtConnection {
    /// Looks up a domain by name, runs `body` with it and frees it.
    static func withDomain<T>(
        _ name: String, on connection: OpaquePointer, _ body: (OpaquePointer) throws -> T
    ) throws -> T {
        guard let domain = virDomainLookupByName(connection, name) else {
            throw LibvirtError.last(connection: connection, operation: "virDomainLookupByName(\(name))")
        }
        defer { virDomainFree(domain) }
        return try body(domain)
    }

    /// The secure XML of a domain, live or persistent.
    static func xml(of domain: OpaquePointer, inactive: Bool, on connection: OpaquePointer) throws -> String {
        var flags = VIR_DOMAIN_XML_SECURE.rawValue
        if inactive { flags |= VIR_DOMAIN_XML_INACTIVE.rawValue }
        guard let text = virDomainGetXMLDesc(domain, flags) else {
            throw LibvirtError.last(connection: connection, operation: "virDomainGetXMLDesc")
        }
        defer { free(text) }
        return String(cString: text)
    }

    /// Defines a domain from XML and describes the result.
    static func define(xml: String, on connection: OpaquePointer) throws -> DomainInfo {
        guard let domain = virDomainDefineXML(connection, xml) else {
            throw LibvirtError.last(connection: connection, operation: "virDomainDefineXML")
        }
        defer { virDomainFree(domain) }
        return try DomainInfo(domain: domain, connection: connection)
    }

    /// Updates one device with the given live/config impact.
    static func updateDevice(
        _ domain: OpaquePointer, xml: String, live: Bool, config: Bool, on connection: OpaquePointer
    ) throws {
        var flags: UInt32 = 0
        if live { flags |= VIR_DOMAIN_AFFECT_LIVE.rawValue }
        if config { flags |= VIR_DOMAIN_AFFECT_CONFIG.rawValue }
        guard virDomainUpdateDeviceFlags(domain, xml, flags) == 0 else {
            throw LibvirtError.last(connection: connection, operation: "virDomainUpdateDeviceFlags")
        }
    }
}
