import Foundation
import Synchronization

/// The desktop tickets the SPICE gateway presents: at most one per session at a time, made once for the channels
/// that link together and reused while enough of its validity is left. Setting a new ticket on a desktop replaces the
/// old one, so a ticket made per channel would fail the channels still presenting the one before.
final class GatewayTickets: Sendable {
    typealias Made = (ticket: String, validUntil: Date)

    private enum Entry {
        case making(Task<Made, any Error>)
        case made(Made)
    }

    /// A ticket is reused while at least this much of its validity is left.
    static let reuseMargin: TimeInterval = 10

    private let entries = Mutex<[String: Entry]>([:])

    /// The session's ticket: the current one while it is good for `reuseMargin` more, the one being made, or one
    /// `make` makes now.
    func ticket(forSession id: String, now: Date, make: @escaping @Sendable () async throws -> Made) async throws -> String {
        let found: Entry = entries.withLock { entries in
            switch entries[id] {
            case .made(let made) where made.validUntil.timeIntervalSince(now) >= Self.reuseMargin:
                return .made(made)
            case .making(let task):
                return .making(task)
            default:
                let task = Task { try await make() }
                entries[id] = .making(task)
                return .making(task)
            }
        }
        let task: Task<Made, any Error>
        switch found {
        case .made(let made): return made.ticket
        case .making(let making): task = making
        }
        do {
            let made = try await task.value
            entries.withLock { entries in
                if case .making = entries[id] { entries[id] = .made(made) }
                entries = entries.filter { if case .made(let old) = $0.value { old.validUntil > now } else { true } }
            }
            return made.ticket
        } catch {
            entries.withLock { _ = $0.removeValue(forKey: id) }
            throw error
        }
    }

    /// Forgets the session's ticket: the desktop was given another.
    func forget(session id: String) {
        entries.withLock { _ = $0.removeValue(forKey: id) }
    }
}
