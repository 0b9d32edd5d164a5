import Foundation
import Store
import Testing

/// A VM's life in its pool (broken, assigned, reset, removed) and a pool's end, on every backend.
@Suite struct VMLifecycleStoreTests {
    static let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/b.qcow2", storagePool: "default", maxVMs: 2)

    @Test(arguments: Backend.underTest)
    func brokenVMsArePassedOverUntilRepaired(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, vms: ["desk1", "desk2"])
        try await store.markBroken(vm: "desk1", pool: "office", reason: "no SPICE")
        #expect(try await store.vm(named: "desk1", inPool: "office")?.brokenReason == "no SPICE")
        #expect(try await store.claimDesktop(claim("alice")).session.vm == "desk2")
        await #expect(throws: StoreError.noFreeVM(pool: "office")) { try await store.claimDesktop(claim("bob")) }
        try await store.markBroken(vm: "desk1", pool: "office", reason: nil)
        #expect(try await store.claimDesktop(claim("bob")).session.vm == "desk1")
        await #expect(throws: StoreError.vmNotFound("desk9")) { try await store.markBroken(vm: "desk9", pool: "office", reason: "x") }
    }

    @Test(arguments: Backend.underTest)
    func aPersistentDesktopStaysItsUsersUntilUnassigned(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, vms: [])
        try await store.addPool(
            PoolRecord(name: "home", connectURI: "test:///default", desktopMode: .persistent, template: Self.template, createdAt: Date()))
        var request = claim("alice")
        request.pool = "home"
        let first = try await store.claimDesktop(request).session
        #expect(first.vm == "home-001")
        #expect(try await store.vm(named: "home-001", inPool: "home")?.isProvisioned == false, "named, not created yet")
        try await store.markProvisioned(vm: "home-001", pool: "home", true)
        await #expect(throws: StoreError.vmInUse("home-001")) { try await store.unassign(vm: "home-001", pool: "home") }
        _ = try await store.deleteSession(id: first.id)
        #expect(try await store.claimDesktop(request).session.vm == "home-001", "her own desktop again")
        let again = try await store.sessions()[0]
        _ = try await store.deleteSession(id: again.id)

        let unassigned = try await store.unassign(vm: "home-001", pool: "home")
        #expect(unassigned.assignedUser == nil && unassigned.needsReset)
        #expect(try await store.vmsNeedingReset().map(\.name) == ["home-001"])
        try await store.finishReset(vm: "home-001", pool: "home")
        let reset = try #require(try await store.vm(named: "home-001", inPool: "home"))
        #expect(!reset.needsReset && !reset.isProvisioned)
        #expect(try await store.vmsNeedingReset().isEmpty)
    }

    @Test(arguments: Backend.underTest)
    func volatileDesktopsAreResetAfterUseAndSparesComeFromFreeOnes(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend, vms: [])
        try await store.addPool(
            PoolRecord(name: "lab", connectURI: "test:///default", desktopMode: .volatile, template: Self.template, createdAt: Date()))
        #expect(try await store.spareCandidate(inPool: "lab", excluding: [], now: Date()) == "lab-001")
        #expect(try await store.spareCandidate(inPool: "lab", excluding: ["lab-001"], now: Date()) == "lab-002")
        #expect(try await store.spareCandidate(inPool: "lab", excluding: ["lab-001", "lab-002"], now: Date()) == nil, "at the maximum")
        await #expect(throws: StoreError.poolNotFound("nope")) { try await store.spareCandidate(inPool: "nope", excluding: [], now: Date()) }

        var request = claim("alice")
        request.pool = "lab"
        request.preferredVMs = ["lab-002"]
        let session = try await store.claimDesktop(request).session
        #expect(session.vm == "lab-002", "a running spare first")
        let ready = try await store.markReady(sessionID: session.id, targetAddress: "198.18.2.1", targetPort: 5905, targetTLSPort: 5906)
        #expect(try await store.sessions(targetAddress: "198.18.2.1", targetPort: 5906) == [ready])
        #expect(try await store.sessions(targetAddress: "198.18.2.1", targetPort: 5907).isEmpty)
        await #expect(throws: StoreError.sessionNotFound("nope")) {
            try await store.markReady(sessionID: "nope", targetAddress: "x", targetPort: 1, targetTLSPort: nil)
        }
        _ = try await store.deleteSession(id: session.id)
        #expect(try await store.vmsNeedingReset().map(\.name) == ["lab-002"])
        let summary = try #require(try await store.poolSummaries().first { $0.pool.name == "lab" })
        #expect(summary.vmCount == 2 && summary.freeVMCount == 1, "lab-001 free, lab-002 waiting for its reset")
    }

    @Test(arguments: Backend.underTest)
    func vmsAndPoolsLeaveOnlyWithoutSessions(_ backend: Backend) async throws {
        let (store, _) = try await makeStore(backend)
        let session = try await store.claimDesktop(claim("alice")).session
        await #expect(throws: StoreError.vmInUse("desk1")) { try await store.removeVM("desk1", fromPool: "office") }
        await #expect(throws: StoreError.poolInUse("office", sessions: 1)) { try await store.deletePool(named: "office") }
        try await store.removeVM("desk3", fromPool: "office")
        await #expect(throws: StoreError.vmNotFound("desk3")) { try await store.removeVM("desk3", fromPool: "office") }
        _ = try await store.deleteSession(id: session.id)
        let removed = try await store.deletePool(named: "office")
        #expect(removed.map(\.name) == ["desk1", "desk2"])
        #expect(try await store.pools().isEmpty)
        await #expect(throws: StoreError.poolNotFound("office")) { try await store.deletePool(named: "office") }
    }
}
