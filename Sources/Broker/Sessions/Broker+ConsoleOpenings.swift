import Foundation
import Store

/// Someone other than a session's user given a way into its desktop, as that user is shown it.
public struct ConsoleOpening: Sendable, Equatable, Codable {
    /// Who was given it (an admin).
    public var by: String
    public var at: Date
}

extension Broker {
    /// For each of `sessions` (by id), the admins given a way into it, newest first: its user sees who looked in.
    public func consoleOpenings(of sessions: [SessionRecord]) async throws -> [String: [ConsoleOpening]] {
        let entries = try await store.auditEvents(.consoleOpen, about: sessions.map(\.id))
        return Dictionary(grouping: entries, by: \.subject).mapValues { $0.map { ConsoleOpening(by: $0.actor, at: $0.at) } }
    }
}
