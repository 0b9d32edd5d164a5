import Foundation
import Libvirt
import Testing

/// Domain events through libvirt's event loop, on the in-process `test:///default` driver (which sends lifecycle
/// events; graphics events need a real SPICE server and are covered end to end).
@Suite("Domain events on test:///default")
struct DomainEventTests {
    private static let uri = "test:///default"

    @Test func defineStartDestroyUndefineArriveInOrder() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let events = try await connection.domainEvents()
        let name = "saffron-events-\(UUID().uuidString.prefix(8))"

        _ = try await connection.define(xml: Fixtures.testDomain(named: name))
        try await connection.start(named: name)
        try await connection.destroy(named: name)
        try await connection.undefine(named: name)

        let changes = try await Self.lifecycle(of: name, in: events, until: .undefined)
        #expect(changes.map(\.kind) == [.defined, .started, .stopped, .undefined], "\(changes)")
        let stopped = try #require(changes.first { $0.kind == .stopped })
        #expect(stopped.detail == LifecycleChange.stoppedDestroyed)
        #expect(stopped.endsRunning)
        #expect(!(changes.first { $0.kind == .started }?.endsRunning ?? true))
    }

    @Test func aDroppedStreamLeavesLaterSubscribersWorking() async throws {
        let connection = try await LibvirtConnection.open(Self.uri)
        defer { connection.close() }
        let name = "saffron-events-\(UUID().uuidString.prefix(8))"
        do {
            let first = try await connection.domainEvents()
            _ = try await connection.define(xml: Fixtures.testDomain(named: name))
            _ = try await Self.lifecycle(of: name, in: first, until: .defined)
        }
        // The first stream is gone (its callbacks deregistered); a new one still hears what follows.
        let second = try await connection.domainEvents()
        try await connection.undefine(named: name)
        let changes = try await Self.lifecycle(of: name, in: second, until: .undefined)
        #expect(changes.map(\.kind) == [.undefined])
    }

    /// The lifecycle changes of `domain` until one of kind `last` arrived; fails after 10 s.
    private static func lifecycle(
        of domain: String, in events: AsyncStream<DomainEvent>, until last: LifecycleChange.Kind
    ) async throws -> [LifecycleChange] {
        let seen = Collected<LifecycleChange>()
        return try await awaitEvents(events, "\(last) event for \(domain)") { event in
            guard case .lifecycle(domain, let change) = event else { return nil }
            return seen.append(change, done: change.kind == last)
        }
    }
}
