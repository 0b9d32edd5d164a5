import Broker
import BrokerTestSupport
import Foundation
import PostgresStore
import PostgresTestSupport
import Store
import Testing

/// Brokers on one PostgreSQL database act at once on what another broker did to their sessions.
@Suite struct SharedDatabaseTests {
    /// Two brokers with stores of their own on one new database, pool `office`, users alice and bob; `a` follows
    /// the changes `b` makes.
    struct TwoBrokers {
        let a: Broker
        let b: Broker
        let forwarderA = RecordingForwarder()
        let observerA = RecordingObserver()
        let accounts: Accounts
        let location: PostgresLocation
        let listened = Counter()
        let following: Task<Void, Never>

        init() async throws {
            let location = try await TestPostgres.newDatabase()
            self.location = location
            let storeA = try PostgresStore(location: location, logger: TestPostgres.quietLogger)
            let storeB = try PostgresStore(location: location, logger: TestPostgres.quietLogger)
            let hypervisor = FakeHypervisor(["desk1", "desk2", "desk3"])
            a = Broker(
                store: storeA, hypervisor: hypervisor, forwarder: forwarderA, settings: Self.settings("198.51.100.1", "a"),
                sessionObservers: [observerA])
            b = Broker(
                store: storeB, hypervisor: hypervisor, forwarder: RecordingForwarder(),
                settings: Self.settings("198.51.100.2", "b"))
            accounts = Accounts(store: storeA, bcryptCost: 4, tokenLifetime: 3600, metrics: BrokerMetrics())
            try await a.createPool(name: "office", connectURI: "test:///default")
            try await a.addVMs(["desk1", "desk2", "desk3"], toPool: "office")
            let a = self.a
            let listened = self.listened
            following = Task {
                await a.followSessionChanges(retryingAfter: .seconds(1), listening: { await listened.increment() })
            }
            try await TestPostgres.waitUntil("broker a to follow") { await listened.count == 1 }
        }

        static func settings(_ address: String, _ node: String) -> BrokerSettings {
            BrokerSettings(
                publicAddress: address, portRange: 20000...20009, ticketValidity: 30,
                connectURIs: BrokerFixture.connectURIs, nodeName: node)
        }

        func user(_ name: String) async throws -> UserRecord {
            try await accounts.addUser(name: name, password: "pw-\(name)", isAdmin: false)
        }
    }

    @Test(.enabled(if: TestPostgres.isUnderTest))
    func aSessionEndedThroughAnotherBrokerLosesItsRuleAndConsolesAtOnce() async throws {
        let brokers = try await TwoBrokers()
        defer { brokers.following.cancel() }
        let alice = try await brokers.user("alice")
        let bob = try await brokers.user("bob")
        let session = try await brokers.a.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let kept = try await brokers.a.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6").session
        #expect(await brokers.forwarderA.rules.map(\.sessionID).sorted() == [session.id, kept.id].sorted())

        try await brokers.b.endSession(id: session.id, requestedBy: nil)
        try await TestPostgres.waitUntil("a's rule to go") { await brokers.forwarderA.rules.count == 1 }
        #expect(await brokers.forwarderA.rules.map(\.sessionID) == [kept.id])
        try await TestPostgres.waitUntil("a's consoles to be cut") { await brokers.observerA.ended == [session.id] }
    }

    @Test(.enabled(if: TestPostgres.isUnderTest))
    func aClientMovedThroughAnotherBrokerIsForwardedFromItsNewAddress() async throws {
        let brokers = try await TwoBrokers()
        defer { brokers.following.cancel() }
        let alice = try await brokers.user("alice")
        let session = try await brokers.a.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session

        // Alice logs in again from another address, through the other broker: the session stays A's.
        let again = try await brokers.b.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.77").session
        #expect(again.id == session.id && again.publicAddress == "198.51.100.1")
        try await TestPostgres.waitUntil("a's rule to follow the client") {
            await brokers.forwarderA.rules.map(\.clientAddress) == ["203.0.113.77"]
        }
        #expect(await brokers.forwarderA.rules.first?.publicAddress == "198.51.100.1")
        try await TestPostgres.waitUntil("a's proxy grants to be forgotten") { await brokers.observerA.moved == [session.id] }
    }

    @Test(.enabled(if: TestPostgres.isUnderTest))
    func aBrokerThatLostTheAnnouncementsListensAgainAndCatchesUp() async throws {
        let brokers = try await TwoBrokers()
        defer { brokers.following.cancel() }
        let alice = try await brokers.user("alice")
        let session = try await brokers.a.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session

        // The database drops A's listening connection; what B does before A listens again (a second later) is
        // caught up then.
        try await TestPostgres.run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()",
            in: brokers.location)
        try await brokers.b.endSession(id: session.id, requestedBy: nil)
        try await TestPostgres.waitUntil("a to listen again") { await brokers.listened.count >= 2 }
        #expect(await brokers.forwarderA.rules.isEmpty, "reconciled when it listened again")
        let bob = try await brokers.user("bob")
        let later = try await brokers.a.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6").session
        try await brokers.b.endSession(id: later.id, requestedBy: nil)
        try await TestPostgres.waitUntil("a's rule of the later session to go") { await brokers.forwarderA.rules.isEmpty }
        #expect(await brokers.observerA.ended == [later.id], "announced after listening again")
    }
}

/// Counts, read from anywhere.
actor Counter {
    private(set) var count = 0
    func increment() { count += 1 }
}
