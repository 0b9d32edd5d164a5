import Foundation
import Store
import Testing

/// A pool over several libvirt hosts, each VM on one of them, on every backend.
@Suite struct PoolHostsStoreTests {
    @Test(arguments: Backend.underTest)
    func aPoolKeepsItsHostsAndEachVMItsOwn(_ backend: Backend) async throws {
        let (store, reopen) = try await makeEmptyStore(backend)
        try await store.addPool(
            PoolRecord(
                name: "lab", connectURI: "qemu+tcp://198.18.5.1/system", otherConnectURIs: ["qemu+tcp://198.18.5.2/system"],
                createdAt: Date()))
        try await store.addVMs(["a1", "b1"], toPool: "lab", hosts: ["b1": "qemu+tcp://198.18.5.2/system"], now: Date())
        #expect(try await store.pool(named: "lab")?.connectURIs == ["qemu+tcp://198.18.5.1/system", "qemu+tcp://198.18.5.2/system"])
        #expect(try await store.vms(inPool: "lab").map(\.connectURI) == [nil, "qemu+tcp://198.18.5.2/system"])

        try await store.setConnectURI("qemu+tcp://198.18.5.2/system", others: ["qemu+tcp://198.18.5.3/system"], ofPool: "lab")
        try await store.setConnectURI("qemu+tcp://198.18.5.3/system", ofVM: "a1", inPool: "lab")
        let reopened = try reopen()
        let pool = try #require(try await reopened.pool(named: "lab"))
        #expect(pool.connectURI == "qemu+tcp://198.18.5.2/system" && pool.otherConnectURIs == ["qemu+tcp://198.18.5.3/system"])
        #expect(try await reopened.vm(named: "a1", inPool: "lab")?.connectURI == "qemu+tcp://198.18.5.3/system")
        #expect(try await reopened.poolSummaries().first?.pool == pool)

        await #expect(throws: StoreError.poolNotFound("nope")) {
            try await store.setConnectURI("test:///default", others: [], ofPool: "nope")
        }
        await #expect(throws: StoreError.vmNotFound("z9")) {
            try await store.setConnectURI("test:///default", ofVM: "z9", inPool: "lab")
        }
    }
}
