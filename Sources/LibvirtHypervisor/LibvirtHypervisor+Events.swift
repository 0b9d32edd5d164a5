import Broker
import Libvirt

extension LibvirtHypervisor {
    /// How often a watched connection is checked for being alive: events stop silently when libvirtd goes away.
    static let livenessInterval: Duration = .seconds(5)

    /// Watches on a connection of its own (events are registered per connection, and a lost one must not take the
    /// calls' connections down with it), translating libvirt's lifecycle and graphics events into the broker's.
    public func watchEvents(
        on connectURI: String, watching: @Sendable () async -> Void, handle: @escaping @Sendable (HypervisorEvent) async -> Void
    ) async throws {
        try policy?.checkStored(connectURI)
        let connection = try await LibvirtConnection.open(connectURI)
        defer { connection.close() }
        let events = try await connection.domainEvents()
        await watching()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    if let event = Self.brokerEvent(event) { await handle(event) }
                }
            }
            group.addTask {
                while await connection.isAlive() { try await Task.sleep(for: Self.livenessInterval) }
                throw EventConnectionLost(uri: connectURI)
            }
            try await group.next()
            group.cancelAll()
        }
    }

    public func attachedViewers(of vm: VMRef) async throws -> [String] {
        try await withConnection(to: vm) { try await $0.spiceClients(ofDomain: vm.domain) }
    }

    /// The broker's event for libvirt's, or nil for what the broker does not follow (a socket opened before it
    /// authenticated, a domain defined or paused).
    static func brokerEvent(_ event: DomainEvent) -> HypervisorEvent? {
        switch event {
        case .graphics(let domain, .initialize, let client): .viewerAttached(domain: domain, client: client)
        case .graphics(let domain, .disconnect, let client): .viewerDetached(domain: domain, client: client)
        case .graphics(_, .connect, _): nil
        case .lifecycle(let domain, let change) where change.endsRunning: .stopped(domain: domain, reason: "\(change)")
        case .lifecycle(let domain, let change) where change.kind == .started || change.kind == .resumed: .started(domain: domain)
        case .lifecycle: nil
        }
    }
}

/// libvirt stopped answering on a connection whose events were being watched.
struct EventConnectionLost: Error, CustomStringConvertible {
    let uri: String
    var description: String { "the connection to \(uri) was lost" }
}
