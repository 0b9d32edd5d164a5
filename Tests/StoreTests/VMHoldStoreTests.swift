import Foundation
import Store
import Testing

/// VMs a broker's upkeep holds in the store: no claim, of any broker, gets them until the hold ends or expires.
@Suite struct VMHoldStoreTests {
    @Test(arguments: Backend.underTest)
    func heldVMsArePassedOverUntilReleasedOrExpired(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend, vms: ["desk1", "desk2"], users: ["alice", "bob", "carol"])
        let other = try reopen()
        let now = Date()
        #expect(try await store.holdVMs(["desk1"], inPool: "office", holder: "broker-b", until: now.addingTimeInterval(60), now: now))
        #expect(try await other.claimDesktop(claim("alice")).session.vm == "desk2", "desk1 is held")
        await #expect(throws: StoreError.noFreeVM(pool: "office")) { try await other.claimDesktop(claim("bob")) }
        #expect(try await other.spareCandidate(inPool: "office", excluding: [], now: now) == nil)

        #expect(try await other.holdVMs(["desk1"], inPool: "office", holder: "broker-a", until: now.addingTimeInterval(60), now: now) == false,
                "another broker's hold stands")
        #expect(try await other.holdVMs(["desk2"], inPool: "office", holder: "broker-a", until: now.addingTimeInterval(60), now: now) == false,
                "a VM with a session is not held")
        #expect(try await store.holdVMs(["desk1"], inPool: "office", holder: "broker-b", until: now.addingTimeInterval(90), now: now),
                "its holder renews it")

        var later = claim("bob")
        later.now = now.addingTimeInterval(91)
        #expect(try await other.claimDesktop(later).session.vm == "desk1", "an expired hold holds nothing")
        #expect(try await other.holdVMs(["desk1"], inPool: "office", holder: "broker-a", until: now.addingTimeInterval(200), now: now.addingTimeInterval(92)) == false)
    }

    @Test(arguments: Backend.underTest)
    func aReleasedHoldFreesTheVMAndAHeldOwnDesktopIsBusy(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, vms: ["desk1"], users: ["alice"])
        let now = Date()
        #expect(try await store.holdVMs(["desk1"], inPool: "office", holder: "broker-b", until: now.addingTimeInterval(60), now: now))
        try await store.releaseVMs(["desk1"], inPool: "office", holder: "someone-else")
        await #expect(throws: StoreError.noFreeVM(pool: "office")) { try await store.claimDesktop(claim("alice")) }
        try await store.releaseVMs(["desk1"], inPool: "office", holder: "broker-b")
        #expect(try await store.claimDesktop(claim("alice")).session.vm == "desk1")
        await #expect(throws: StoreError.poolNotFound("nope")) {
            try await store.holdVMs(["x"], inPool: "nope", holder: "b", until: now, now: now)
        }

        let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/b.qcow2", storagePool: "default", maxVMs: 2)
        try await store.addPool(PoolRecord(name: "home", connectURI: "test:///default", desktopMode: .persistent, template: template, createdAt: now))
        var home = claim("alice")
        home.pool = "home"
        let own = try await store.claimDesktop(home).session
        _ = try await store.deleteSession(id: own.id)
        #expect(try await store.holdVMs([own.vm], inPool: "home", holder: "broker-b", until: now.addingTimeInterval(60), now: now))
        await #expect(throws: StoreError.vmBusy(own.vm), "her own desktop, being shut down") { try await store.claimDesktop(home) }
    }
}
