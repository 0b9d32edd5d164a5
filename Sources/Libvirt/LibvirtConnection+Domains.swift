internal import CLibvirt
import Foundation

extension LibvirtConnection {
    /// All domains on the connection, active and inactive (`virConnectListAllDomains`); one that vanishes while
    /// the list is being described is left out.
    public func domains() async throws -> [DomainInfo] {
        try await perform { connection in
            var list: UnsafeMutablePointer<OpaquePointer?>?
            let count = virConnectListAllDomains(connection, &list, 0)
            guard count >= 0 else {
                throw LibvirtError.last(connection: connection, operation: "virConnectListAllDomains")
            }
            guard let list else { return [] }
            defer {
                for index in 0..<Int(count) { if let domain = list[index] { virDomainFree(domain) } }
                free(list)
            }
            return try (0..<Int(count)).compactMap { index in
                do {
                    return try list[index].map { try DomainInfo(domain: $0, connection: connection) }
                } catch let error as LibvirtError where error.isNotFound {
                    return nil  // undefined between the listing and its description: it is gone, so not listed
                }
            }
        }
    }

    /// The domain called `name`; throws a `LibvirtError` with `isNotFound` when there is none.
    public func domain(named name: String) async throws -> DomainInfo {
        try await perform { connection in
            try Self.withDomain(name, on: connection) { try DomainInfo(domain: $0, connection: connection) }
        }
    }

    /// The domain's XML, always including secrets such as the SPICE `passwd` (`VIR_DOMAIN_XML_SECURE`).
    ///
    /// With `inactive` it is the persistent configuration (`VIR_DOMAIN_XML_INACTIVE`), otherwise the live state.
    public func xml(ofDomain name: String, inactive: Bool = false) async throws -> String {
        try await perform { connection in
            try Self.withDomain(name, on: connection) { try Self.xml(of: $0, inactive: inactive, on: connection) }
        }
    }

    /// Defines (or redefines) a persistent domain from XML (`virDomainDefineXML`).
    public func define(xml: String) async throws -> DomainInfo {
        try await perform { connection in try Self.define(xml: xml, on: connection) }
    }

    /// Removes the persistent configuration of a domain (`virDomainUndefine`); a running domain becomes transient.
    public func undefine(named name: String) async throws {
        try await call("virDomainUndefine", onDomain: name) { virDomainUndefine($0) }
    }

    /// Starts a defined domain (`virDomainCreate`).
    public func start(named name: String) async throws {
        try await call("virDomainCreate", onDomain: name) { virDomainCreate($0) }
    }

    /// Stops a running domain immediately, like pulling the power cord (`virDomainDestroy`).
    public func destroy(named name: String) async throws {
        try await call("virDomainDestroy", onDomain: name) { virDomainDestroy($0) }
    }

    /// Asks the guest to shut down, as the ACPI power button does (`virDomainShutdown`); returns at once.
    public func shutdown(named name: String) async throws {
        try await call("virDomainShutdown", onDomain: name) { virDomainShutdown($0) }
    }

    /// Changes one device of a domain (`virDomainUpdateDeviceFlags`).
    ///
    /// `live` affects the running domain, `config` the persistent configuration; neither means libvirt's
    /// "current" (whichever applies to the domain's state).
    public func updateDevice(ofDomain name: String, xml: String, live: Bool, config: Bool) async throws {
        try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                try Self.updateDevice(domain, xml: xml, live: live, config: config, on: connection)
            }
        }
    }

    /// Runs a libvirt call that answers 0 on success on the domain `name`, throwing libvirt's error otherwise.
    private func call(_ operation: String, onDomain name: String, _ body: @escaping @Sendable (OpaquePointer) -> Int32) async throws {
        try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                guard body(domain) == 0 else { throw LibvirtError.last(connection: connection, operation: operation) }
            }
        }
    }
}
