import BrokerTestSupport
import Foundation
import Store
import Synchronization
import Testing

@testable import Broker

/// VMs held by pool upkeep (spares booting, surplus spares and idle desktops going down) are never handed out
/// meanwhile, a user whose own desktop is held waits for it instead of failing, and a spare removed from its pool
/// while it boots is not left behind.
@Suite("Upkeep holds")
struct UpkeepHoldTests {
    static let ref = VMRef(connectURI: "test:///default", domain: "lab-001")

    @Test func aSettledHoldWaitsForHandoutsThatReadTheHeldSetBeforeIt() async throws {
        let upkeep = UpkeepState()
        let (claimRead, claimReadSignal) = AsyncStream<Void>.makeStream()
        let (finishClaim, finishClaimSignal) = AsyncStream<Void>.makeStream()
        let earlier = Task {
            await upkeep.claiming(onConnections: [Self.ref.connectURI]) { held in
                claimReadSignal.yield()
                for await _ in finishClaim { break }
                return held
            }
        }
        for await _ in claimRead { break }

        let settled = Mutex(false)
        let hold = Task {
            let held = await upkeep.holdSettled([Self.ref])
            settled.withLock { $0 = true }
            return held
        }
        try await waitUntil("the hold") { upkeep.preparing(onConnections: [Self.ref.connectURI]).contains("lab-001") }
        let later = await upkeep.claiming(onConnections: [Self.ref.connectURI]) { $0 }
        #expect(later == ["lab-001"], "a handout after the hold must leave the VM alone")
        #expect(settled.withLock { $0 } == false, "the hold settled while an earlier handout was still claiming")

        finishClaimSignal.yield()
        #expect(await earlier.value.isEmpty)
        #expect(await hold.value)
        #expect(await upkeep.holdSettled([Self.ref]) == false, "a held VM cannot be held twice")
    }

    @Test func aUserWhoseOwnDesktopIsHeldGetsItOnceReleased() async throws {
        let fixture = try await UpkeepTests.templateFixture(.persistent) { _ in }
        let alice = try await fixture.user("alice")
        let first = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5").session
        try await fixture.broker.endSession(id: first.id, requestedBy: alice)

        #expect(fixture.broker.upkeep.hold(Self.ref))
        let attemptsBefore = fixture.broker.upkeep.state.withLock { $0.nextClaim }
        let handout = Task { try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5") }
        try await waitUntil("a retried claim") { fixture.broker.upkeep.state.withLock { $0.nextClaim } >= attemptsBefore + 2 }
        fixture.broker.upkeep.release([Self.ref])
        #expect(try await handout.value.session.vm == "lab-001")
    }

    /// `saffron pool remove-vm` runs in another process, which cannot see the serving broker's holds.
    @Test func aSpareRemovedFromThePoolWhileItBootsIsThrownAway() async throws {
        let fixture = try await UpkeepTests.templateFixture(.volatile) { $0.spares = 1 }
        let store = fixture.store
        await fixture.hypervisor.setWhileStarting { name in try? await store.removeVM(name, fromPool: "lab") }
        await fixture.broker.tendPools()
        #expect(await fixture.hypervisor.discarded == ["lab-001"])
        #expect(try await fixture.store.vms(inPool: "lab").isEmpty)
    }

    @Test func aLoginWhileItsIdleDesktopShutsDownWaitsForItAndStartsItAgain() async throws {
        let (fixture, alice, _) = try await UpkeepTests.idleDesktopAskedToShutDown()
        let censusesBefore = await fixture.hypervisor.censuses
        let done = Mutex(false)
        let handout = Task {
            defer { done.withLock { $0 = true } }
            return try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5")
        }
        try await waitUntil("the handout to watch the guest") { await fixture.hypervisor.censuses >= censusesBefore + 2 }
        #expect(done.withLock { $0 } == false, "handed out a desktop that is shutting down")
        try await fixture.hypervisor.powerOff(Self.ref)  // the guest finished its shutdown
        #expect(try await handout.value.session.vm == "lab-001")
        #expect(await UpkeepTests.running(fixture) == ["lab-001"])
    }
}

/// Upkeep holds are kept in the store, so a broker sharing the database never hands out what another's upkeep is
/// preparing.
@Suite struct SharedUpkeepHoldTests {
    @Test func anotherBrokersHandoutPassesOverTheSpareThisOneIsBooting() async throws {
        let fixture = try await UpkeepTests.templateFixture(.volatile) { $0.spares = 1 }
        let other = fixture.otherBroker()
        let alice = try await fixture.user("alice")
        let handedOut = Mutex<String?>(nil)
        // While the first broker boots its spare, a user logs in through the other broker.
        await fixture.hypervisor.setWhileStarting { name in
            guard name == "lab-001", handedOut.withLock({ $0 }) == nil else { return }
            let vm = (try? await other.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5"))?.session.vm
            handedOut.withLock { $0 = vm ?? "none" }
        }
        await fixture.broker.tendPools()
        #expect(handedOut.withLock { $0 } == "lab-002", "the spare being booted is held in the store")
        #expect(try await fixture.store.holdVMs(["lab-001"], inPool: "lab", holder: "broker-b", until: Date().addingTimeInterval(9), now: Date()),
                "released once booted")
    }

    @Test func anotherBrokersLoginWaitsWhileThisOneShutsTheIdleDesktopDown() async throws {
        let (fixture, alice, t0) = try await UpkeepTests.idleDesktopAskedToShutDown()
        let other = fixture.otherBroker()
        let before = other.upkeep.state.withLock { $0.nextClaim }
        let handout = Task { try await other.desktop(inPool: "lab", for: alice, clientAddress: "203.0.113.5") }
        try await waitUntil("the other broker to find her desktop held") {
            other.upkeep.state.withLock { $0.nextClaim } >= before + 2
        }
        // Its guest ignored the request and is powered off after the patience: the hold ends, and the other broker
        // starts her desktop afresh.
        await fixture.broker.tendPools(now: t0.addingTimeInterval(601 + 121))
        #expect(try await handout.value.session.vm == "lab-001")
        #expect(await UpkeepTests.running(fixture) == ["lab-001"])
    }
}
