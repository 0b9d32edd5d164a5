import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Pool upkeep rounds: spares booted within the boot limit and handed out first, surplus spares powered off,
/// unused sessions taken back, idle persistent desktops shut down.
@Suite("Pool upkeep")
struct UpkeepTests {
    static let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/base.qcow2", storagePool: "default", maxVMs: 4)

    static func templateFixture(_ mode: DesktopMode = .volatile, _ policy: (inout PoolPolicy) -> Void) async throws
        -> BrokerFixture
    {
        let fixture = try await BrokerFixture(vms: [])
        try await fixture.broker.createTemplatePool(
            name: "lab", connectURI: "test:///default", desktopMode: mode, template: Self.template)
        try await fixture.broker.updatePolicy(ofPool: "lab", policy)
        return fixture
    }

    static func running(_ fixture: BrokerFixture) async -> [String] {
        await fixture.hypervisor.vms.filter(\.value.running).map(\.key).sorted()
    }

    @Test func sparesBootWithinTheBootLimitAndAreHandedOutFirst() async throws {
        let fixture = try await Self.templateFixture {
            $0.spares = 2
            $0.bootLimit = 1
        }
        await fixture.broker.tendPools()
        #expect(await Self.running(fixture) == ["lab-001"])
        await fixture.broker.tendPools()
        #expect(await Self.running(fixture) == ["lab-001", "lab-002"])
        await fixture.broker.tendPools()
        #expect(await fixture.hypervisor.provisioned == ["lab-001", "lab-002"], "two spares are enough")

        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        #expect(session.vm == "lab-001", "a running spare is handed out")
        #expect(await fixture.hypervisor.provisioned.count == 2, "no VM was created for the handout")
        await fixture.broker.tendPools()
        #expect(await Self.running(fixture) == ["lab-001", "lab-002", "lab-003"], "the spare taken is replaced")
    }

    /// Another pool on the same libvirt connection (tended first: "annex" < "office") must not restart the clock.
    @Test func sparesBeyondTheWantedNumberArePoweredOffAfterLingering() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1", "desk2", "desk3"])
        try await fixture.broker.createPool(name: "annex", connectURI: "test:///default")
        for name in ["desk1", "desk2", "desk3"] {
            _ = try await fixture.hypervisor.startIfNeeded(VMRef(connectURI: "test:///default", domain: name))
        }
        try await fixture.broker.updatePolicy(ofPool: "office") {
            $0.spares = 1
            $0.spareLingerSeconds = 60
        }
        let start = Date()
        await fixture.broker.tendPools(now: start)
        #expect(await Self.running(fixture).count == 3)
        await fixture.broker.tendPools(now: start.addingTimeInterval(61))
        #expect(await Self.running(fixture) == ["desk1"])
    }

    @Test func aSessionNoViewerAttachedToIsTakenBackAfterTheAttachWindow() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.attachWindowSeconds = 120 }
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session

        await fixture.broker.tendPools(now: session.createdAt.addingTimeInterval(100))
        _ = try await fixture.broker.consoleFile(forSession: session.id, user: alice, now: session.createdAt.addingTimeInterval(100))
        await fixture.broker.tendPools(now: session.createdAt.addingTimeInterval(200))
        #expect(try await fixture.store.session(id: session.id) != nil, "a fresh ticket restarts the window")
        await fixture.broker.tendPools(now: session.createdAt.addingTimeInterval(221))
        #expect(try await fixture.store.session(id: session.id) == nil)
        #expect(await fixture.forwarder.rules.isEmpty)
    }

    @Test func aViewerThatLeftIsGivenTheGracePeriodAndAnAttachedOneIsNeverReclaimed() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.broker.updatePolicy(ofPool: "office") {
            $0.attachWindowSeconds = 30
            $0.disconnectGraceSeconds = 300
        }
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let t0 = session.createdAt
        fixture.broker.presence.record(
            .viewerAttached(domain: session.vm, client: "203.0.113.5:5000"), connectURI: "test:///default",
            at: t0.addingTimeInterval(5))
        await fixture.broker.tendPools(now: t0.addingTimeInterval(1000))
        #expect(try await fixture.store.session(id: session.id) != nil, "attached: kept however long")

        fixture.broker.presence.record(
            .viewerDetached(domain: session.vm, client: "203.0.113.5:5000"), connectURI: "test:///default",
            at: t0.addingTimeInterval(1000))
        await fixture.broker.tendPools(now: t0.addingTimeInterval(1200))
        #expect(try await fixture.store.session(id: session.id) != nil, "within the grace period")
        await fixture.broker.tendPools(now: t0.addingTimeInterval(1301))
        #expect(try await fixture.store.session(id: session.id) == nil)
    }

    @Test func nothingIsTakenBackForTimeTheBrokerWasDown() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let restarted = try await fixture.fixtureBrokerRestarted(at: session.createdAt.addingTimeInterval(3600))
        await restarted.tendPools(now: session.createdAt.addingTimeInterval(3600 + 200))
        #expect(try await fixture.store.session(id: session.id) != nil, "300 s of attach window count from the restart")
        await restarted.tendPools(now: session.createdAt.addingTimeInterval(3600 + 301))
        #expect(try await fixture.store.session(id: session.id) == nil)
    }

    /// Alice's persistent desktop `lab-001`, left without a session past the idle time (600 s) and asked to shut
    /// down at `t0 + 601` by a guest that takes its time (it ignores the request).
    static func idleDesktopAskedToShutDown() async throws -> (fixture: BrokerFixture, alice: UserRecord, t0: Date) {
        let fixture = try await Self.templateFixture(.persistent) { $0.idleShutdownSeconds = 600 }
        await fixture.hypervisor.setIgnoresShutdown(true)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        let t0 = Date()
        await fixture.broker.tendPools(now: t0)
        await fixture.broker.tendPools(now: t0.addingTimeInterval(601))
        #expect(await fixture.hypervisor.shutdownRequests == ["lab-001"])
        return (fixture, alice, t0)
    }

    @Test func anIdlePersistentDesktopIsShutDownThenPoweredOffIfItIgnoresThat() async throws {
        let (fixture, _, t0) = try await Self.idleDesktopAskedToShutDown()
        #expect(await Self.running(fixture) == ["lab-001"])
        await fixture.broker.tendPools(now: t0.addingTimeInterval(601 + 121))
        #expect(await Self.running(fixture).isEmpty)
        #expect(try await fixture.broker.vms(inPool: "lab").first?.assignedUser == "alice")
    }

    @Test func policiesThatCannotWorkAreRefused() async throws {
        let fixture = try await Self.templateFixture { _ in }
        for change: (inout PoolPolicy) -> Void in [
            { $0.spares = 5 }, { $0.bootLimit = 0 }, { $0.attachWindowSeconds = 0 }, { $0.maxSessionsPerUser = 0 },
            { $0.maxSessionsPerUser = 5 },
        ] {
            let error = await #expect(throws: BrokerError.self) { try await fixture.broker.updatePolicy(ofPool: "lab", change) }
            #expect(error?.httpStatus == 400)
        }
        #expect(try await fixture.store.pool(named: "lab")?.policy == PoolPolicy())

        let persistent = try await Self.templateFixture(.persistent) { _ in }
        let error = await #expect(throws: BrokerError.self) {
            try await persistent.broker.updatePolicy(ofPool: "lab") { $0.maxSessionsPerUser = 2 }
        }
        #expect(error?.message.contains("persistent") == true)
    }
}

extension BrokerFixture {
    /// The same store, hypervisor and forwarder under a broker that started at `startedAt` (a restart).
    func fixtureBrokerRestarted(at startedAt: Date) async throws -> Broker {
        Broker(
            store: store, hypervisor: hypervisor, forwarder: forwarder, settings: broker.settings,
            upkeep: UpkeepState(startedAt: startedAt))
    }
}

/// The wake-ups of the upkeep loop.
@Suite("Upkeep wake-ups")
struct UpkeepWakeUpTests {
    /// Waits that are not ended by a nudge or a cancellation last an hour, so the time limit catches them.
    @Test(.timeLimit(.minutes(1)))
    func aNudgeWakesTheWaiterAndCancellationEndsTheWait() async throws {
        let state = UpkeepState()
        state.nudge()  // a nudge while nobody waits is kept for the next wait
        await state.waitForNudge(orAtMost: .seconds(3600))

        let clock = ContinuousClock()
        let timedOut = await clock.measure { await state.waitForNudge(orAtMost: .milliseconds(50)) }
        #expect(timedOut >= .milliseconds(50), "without a nudge the wait lasts its interval")

        let nudged = Task { await state.waitForNudge(orAtMost: .seconds(3600)) }
        state.nudge()
        await nudged.value

        let cancelled = Task { await state.waitForNudge(orAtMost: .seconds(3600)) }
        cancelled.cancel()
        await cancelled.value  // a cancelled wait returns at once, so shutdown is not held up
    }
}
