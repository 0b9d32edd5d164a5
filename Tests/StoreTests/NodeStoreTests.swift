import Foundation
import Store
import Testing

/// Nodes' reports: the latest one of each node, by name.
@Suite struct NodeStoreTests {
    @Test(arguments: Backend.underTest)
    func eachNodesLatestReportIsKept(_ backend: Backend) async throws {
        let (store, _) = try await makeEmptyStore(backend)
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let a = NodeRecord(
            name: "a", publicAddress: "198.51.100.1", portRange: "20000-20999", startedAt: start, lastSeen: start)
        var b = a
        b.name = "b"
        b.publicAddress = "198.51.100.2"
        try await store.recordNode(b)
        try await store.recordNode(a)
        var later = a
        later.lastSeen = start.addingTimeInterval(5)
        later.portRange = "21000-21999"
        later.roles = ["api", "gateway"]
        try await store.recordNode(later)
        #expect(try await store.nodes() == [later, b])
    }
}
