import Foundation
import Store

/// The session changes a store is told of by other instances on its database, recorded as they come.
public actor AnnouncementRecorder {
    public private(set) var changes: [SessionChange] = []
    private var listening = false
    private var watch: Task<Void, Never>?

    public init() {}

    /// Starts watching `store` and returns once it listens, so that every later change is recorded.
    public func start(watching store: any Store) async throws {
        watch = Task {
            try? await store.watchSessionChanges(
                listening: { await self.markListening() }, changed: { change in await self.record(change) })
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while !listening {
            guard ContinuousClock.now < deadline else { throw TestPostgres.TimedOut(what: "the store to listen", timeout: .seconds(5)) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public func stop() {
        watch?.cancel()
    }

    private func markListening() { listening = true }
    private func record(_ change: SessionChange) { changes.append(change) }
}

extension TestPostgres {
    /// Waits until `condition` holds, checking every 20 ms, and fails the wait after `timeout`.
    public static func waitUntil(
        _ what: String, timeout: Duration = .seconds(5), _ condition: () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(what: what, timeout: timeout) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public let what: String
        public let timeout: Duration
        public var description: String { "waited \(timeout) for \(what) in vain" }
    }
}
