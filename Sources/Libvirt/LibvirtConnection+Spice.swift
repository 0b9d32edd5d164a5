import Foundation

extension LibvirtConnection {
    /// The domain's SPICE graphics settings, or nil when it has none; parsed from `xml(ofDomain:inactive:)`.
    public func spiceGraphics(ofDomain name: String, inactive: Bool = false) async throws -> SpiceGraphics? {
        try DomainXML.spiceGraphics(in: try await xml(ofDomain: name, inactive: inactive))
    }

    /// Sets a one-time SPICE ticket on the running domain.
    ///
    /// Reads the live XML (secure), takes its `<graphics type='spice'>` element unchanged except `passwd`,
    /// `passwdValidTo` (UTC) and `connected`, and sends it back as a live-only device update. Throws without
    /// calling libvirt unless the ticket is 1...60 bytes. Read and update run back to back on the queue.
    public func setSpiceTicket(
        ofDomain name: String, ticket: String, validUntil: Date, connected: GraphicsConnectedPolicy
    ) async throws {
        _ = try await setSpiceTicket(ofDomain: name, ticket: ticket, connected: connected) { validUntil }
    }

    /// Sets a one-time SPICE ticket valid for `validity` from the moment it is set, and returns that expiry.
    ///
    /// Like `setSpiceTicket(ofDomain:ticket:validUntil:connected:)`, but the expiry is computed on the queue right
    /// before the update, so time spent waiting behind other calls on the connection does not eat into it.
    public func setSpiceTicket(
        ofDomain name: String, ticket: String, validFor validity: TimeInterval, connected: GraphicsConnectedPolicy
    ) async throws -> Date {
        try await setSpiceTicket(ofDomain: name, ticket: ticket, connected: connected) { Date().addingTimeInterval(validity) }
    }

    /// The live graphics update of both ticket calls; `expiry` is asked on the queue, just before the update.
    ///
    /// `passwdValidTo` holds whole seconds, so the expiry is cut to the second before it is written, and the date
    /// returned is exactly the one libvirt holds.
    private func setSpiceTicket(
        ofDomain name: String, ticket: String, connected: GraphicsConnectedPolicy, expiry: @escaping @Sendable () -> Date
    ) async throws -> Date {
        try DomainXML.validateTicket(ticket)
        return try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                let live = try Self.xml(of: domain, inactive: false, on: connection)
                guard let element = try DomainXML.spiceGraphicsElement(in: live) else {
                    throw LibvirtError.xml("domain '\(name)' has no SPICE graphics")
                }
                let validUntil = Date(timeIntervalSince1970: expiry().timeIntervalSince1970.rounded(.down))
                let updated = try DomainXML.settingTicket(
                    onGraphicsElement: element, ticket: ticket, validTo: validUntil, connected: connected)
                try Self.updateDevice(domain, xml: updated, live: true, config: false, on: connection)
                return validUntil
            }
        }
    }

    /// Makes the persistent config carry a locked SPICE password (random, expired since 1970).
    ///
    /// A domain started later then has SPICE ticketing enabled and refuses everyone until a ticket is set;
    /// without a password QEMU disables ticketing and setting a ticket later fails. Idempotent: a config that
    /// already has a password expired at the lock date is left untouched. Does not affect a running instance.
    public func lockSpicePassword(ofDomain name: String) async throws {
        let password = Self.randomPassword()
        try await perform { connection in
            try Self.withDomain(name, on: connection) { domain in
                let config = try Self.xml(of: domain, inactive: true, on: connection)
                guard let graphics = try DomainXML.spiceGraphics(in: config) else {
                    throw LibvirtError.xml("domain '\(name)' has no SPICE graphics")
                }
                if graphics.hasPassword && graphics.passwordValidTo == DomainXML.lockedValidTo { return }
                let locked = try DomainXML.lockingSpicePassword(inDomainXML: config, password: password)
                _ = try Self.define(xml: locked, on: connection)
            }
        }
    }

    /// 32 random alphanumerics from the system's cryptographically secure generator.
    static func randomPassword() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
