import Foundation
import Store
import Testing

/// A pool's upkeep lease: one holder at a time, renewed by it, taken over once it runs out.
@Suite struct UpkeepLeaseStoreTests {
    @Test(arguments: Backend.underTest)
    func oneHolderAtATimeUntilItsLeaseRunsOut(_ backend: Backend) async throws {
        let (store, reopen) = try await makeStore(backend)
        let other = try reopen()
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        #expect(try await store.holdUpkeepLease(pool: "office", holder: "a", now: start, duration: 8))
        #expect(try await other.holdUpkeepLease(pool: "office", holder: "b", now: start.addingTimeInterval(7), duration: 8) == false)
        #expect(try await store.holdUpkeepLease(pool: "office", holder: "a", now: start.addingTimeInterval(7), duration: 8), "renewed")
        #expect(try await other.holdUpkeepLease(pool: "office", holder: "b", now: start.addingTimeInterval(14), duration: 8) == false)
        #expect(try await other.holdUpkeepLease(pool: "office", holder: "b", now: start.addingTimeInterval(15), duration: 8))
        #expect(try await store.holdUpkeepLease(pool: "office", holder: "a", now: start.addingTimeInterval(16), duration: 8) == false)
        #expect(try await store.upkeepLeases() == [UpkeepLease(pool: "office", holder: "b", expiresAt: start.addingTimeInterval(23))])
        #expect(try await store.holdUpkeepLease(pool: "nope", holder: "a", now: start, duration: 8) == false, "no such pool")
    }

    @Test(arguments: Backend.underTest)
    func brokersRacingForAFreePoolGetOneHolder(_ backend: Backend) async throws {
        let (first, reopen) = try await makeStore(backend)
        let stores = [first, try reopen(), try reopen()]
        let now = Date(timeIntervalSince1970: 1_900_000_000)
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await stores[index % 3].holdUpkeepLease(pool: "office", holder: "n\(index)", now: now, duration: 8)
                        ? "n\(index)" : nil
                }
            }
            return try await group.reduce(into: [String]()) { if let name = $1 { $0.append(name) } }
        }
        #expect(winners.count == 1)
        #expect(try await first.upkeepLeases().map(\.holder) == winners)
    }
}
