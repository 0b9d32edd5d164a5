import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// The broker watching a host's events through the `Hypervisor` protocol, driven by the fake hypervisor.
@Suite struct PresenceWatchTests {
    let uri = "test:///default"

    @Test func viewersAttachedBeforeTheWatchAreAskedForThenEventsMovePresenceAndAStopEndsTheSession() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        await fixture.hypervisor.setViewers(["203.0.113.5:5000", "203.0.113.5:5001"], on: session.vm)
        let broker = fixture.broker
        let presence = { try await broker.presence(of: [session])[session.id] ?? .detached }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await broker.watchPresence(on: self.uri) }
            try await waitUntil("the viewers attached before the watch") { try await presence().channels == 2 }
            #expect(await fixture.hypervisor.viewerQueries == [session.vm], "only the pool's running VMs are asked about")

            for port in [5000, 5001] {
                await fixture.hypervisor.emit(.viewerDetached(domain: session.vm, client: "203.0.113.5:\(port)"), on: uri)
            }
            try await waitUntil("the viewer to leave") { try await !presence().isAttached }
            await fixture.hypervisor.emit(.viewerAttached(domain: session.vm, client: "203.0.113.5:5002"), on: uri)
            try await waitUntil("the viewer to come back") { try await presence().channels == 1 }

            await fixture.hypervisor.emit(.stopped(domain: session.vm, reason: "destroyed"), on: uri)
            // The store forgets the session first; its DNAT rule goes right after.
            try await waitUntil("the session of the stopped desktop to end and its DNAT rule to go") {
                let rules = await fixture.forwarder.rules
                return try await fixture.store.session(id: session.id) == nil && rules.isEmpty
            }
            #expect(broker.presence.presence(of: VMRef(connectURI: uri, domain: session.vm)).isAttached == false)
            group.cancelAll()
        }
    }

    @Test func aLostConnectionEndsTheWatchWithAnErrorAndAnUnreachableHostIsNotWatched() async throws {
        let fixture = try await BrokerFixture()
        let broker = fixture.broker
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: BrokerError.self) { try await broker.watchPresence(on: self.uri) }
            }
            try await waitUntil("the watch to begin") { await fixture.hypervisor.isWatched(self.uri) }
            await fixture.hypervisor.loseEvents(on: uri)
            try await group.waitForAll()
        }
        await fixture.hypervisor.setDown(uri)
        await #expect(throws: BrokerError.self) { try await broker.watchPresence(on: self.uri) }
    }

    @Test func cancellingTheWatchEndsItWithoutAnError() async throws {
        let fixture = try await BrokerFixture()
        let broker = fixture.broker
        let watch = Task { try await broker.watchPresence(on: self.uri) }
        try await waitUntil("the watch to begin") { await fixture.hypervisor.isWatched(self.uri) }
        watch.cancel()
        try await watch.value
        #expect(await !fixture.hypervisor.isWatched(uri))
    }
}
