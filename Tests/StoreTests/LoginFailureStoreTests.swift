import Foundation
import Store
import Testing

/// Login failures kept in the store: counted by several brokers at once without losing any, cleared and swept.
@Suite struct LoginFailureStoreTests {
    @Test(arguments: Backend.underTest)
    func failuresFromSeveralBrokersAtOnceAreAllCounted(_ backend: Backend) async throws {
        let (first, reopen) = try await makeEmptyStore(backend)
        let stores = [first, try reopen(), try reopen()]
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<30 {
                group.addTask {
                    try await stores[index % 3].updateLoginFailures(["account:alice", "address:10.0.0.0"]) { _, current in
                        LoginFailureRecord(
                            failures: (current?.failures ?? 0) + 1, last: start.addingTimeInterval(Double(index)),
                            blockedUntil: start)
                    }
                }
            }
            try await group.waitForAll()
        }
        let records = try await first.loginFailures(["account:alice", "address:10.0.0.0", "account:bob"])
        #expect(records["account:alice"]?.failures == 30 && records["address:10.0.0.0"]?.failures == 30)
        #expect(records["account:bob"] == nil)

        try await first.clearLoginFailures("account:alice")
        #expect(try await first.loginFailures(["account:alice"]).isEmpty)
        try await first.updateLoginFailures(["account:old"]) { _, _ in
            LoginFailureRecord(failures: 1, last: start.addingTimeInterval(-7200), blockedUntil: .distantPast)
        }
        #expect(try await first.deleteLoginFailures(lastBefore: start.addingTimeInterval(-3600)) == 1)
        #expect(try await first.loginFailures(["account:old", "address:10.0.0.0"]).keys.sorted() == ["address:10.0.0.0"])
    }
}
