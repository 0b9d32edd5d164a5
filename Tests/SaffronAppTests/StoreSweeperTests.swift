import Foundation
import Logging
import ServiceLifecycle
import Store
import Testing

@testable import SaffronApp

/// The store's sweeper, run as `serve` runs it: in a service group, until graceful shutdown.
@Suite struct StoreSweeperTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `sweeper` in a service group until `done()` holds (or 10 s pass), then shuts it down gracefully.
    static func run(_ sweeper: StoreSweeper, until done: @escaping @Sendable () async throws -> Bool) async throws {
        let group = ServiceGroup(configuration: .init(services: [sweeper], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(10)
            while try await !done(), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func expiredTokensGoLiveOnesStayAndShutdownEndsIt() async throws {
        let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
        try await store.addUser(UserRecord(name: "alice", passwordHash: "x", isAdmin: false, createdAt: Date()))
        try await store.addToken(hash: "expired", user: "alice", expiresAt: Date().addingTimeInterval(-60))
        try await store.addToken(hash: "live", user: "alice", expiresAt: Date().addingTimeInterval(3600))
        let past = Date().addingTimeInterval(-3600)  // at this time both tokens were valid: a row answers if it exists
        #expect(try await store.user(forTokenHash: "expired", now: past)?.name == "alice")

        let sweeper = StoreSweeper(store: store, interval: .milliseconds(20), auditRetention: nil, logger: Self.logger)
        try await Self.run(sweeper) { try await store.user(forTokenHash: "expired", now: past) == nil }
        #expect(try await store.user(forTokenHash: "expired", now: past) == nil, "the expired token was not swept")
        #expect(try await store.user(forTokenHash: "live", now: Date())?.name == "alice")
    }

    @Test func auditEntriesPastTheRetentionGoNewerOnesStay() async throws {
        let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
        let day: TimeInterval = 86_400
        for (subject, age) in [("old", 40 * day), ("older", 400 * day), ("recent", 2 * day), ("now", 0)] {
            try await store.appendAuditEvent(
                AuditEvent(at: Date().addingTimeInterval(-age), actor: "cli", action: .poolCreate, subject: subject))
        }
        let sweeper = StoreSweeper(store: store, interval: .milliseconds(20), auditRetention: 30 * day, logger: Self.logger)
        try await Self.run(sweeper) { try await store.auditEvents(before: nil, limit: 10).count == 2 }
        #expect(Set(try await store.auditEvents(before: nil, limit: 10).map(\.subject)) == ["recent", "now"])
    }
}
