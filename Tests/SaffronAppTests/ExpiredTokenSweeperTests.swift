import Foundation
import Logging
import ServiceLifecycle
import Store
import Testing

@testable import SaffronApp

/// The sweeper of login tokens, run as `serve` runs it: in a service group, until graceful shutdown.
@Suite struct ExpiredTokenSweeperTests {
    @Test func expiredTokensGoLiveOnesStayAndShutdownEndsIt() async throws {
        let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
        try await store.addUser(UserRecord(name: "alice", passwordHash: "x", isAdmin: false, createdAt: Date()))
        try await store.addToken(hash: "expired", user: "alice", expiresAt: Date().addingTimeInterval(-60))
        try await store.addToken(hash: "live", user: "alice", expiresAt: Date().addingTimeInterval(3600))
        let past = Date().addingTimeInterval(-3600)  // at this time both tokens were valid: a row answers if it exists
        #expect(try await store.user(forTokenHash: "expired", now: past)?.name == "alice")

        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let sweeper = ExpiredTokenSweeper(store: store, interval: .milliseconds(20), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [sweeper], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while try await store.user(forTokenHash: "expired", now: past) != nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await store.user(forTokenHash: "expired", now: past) == nil, "the expired token was not swept")
        #expect(try await store.user(forTokenHash: "live", now: Date())?.name == "alice")
    }
}
