import Libvirt
import Testing

/// Reads `events` until `collect` says it has what it waited for (returns non-nil), or fails naming `what` once
/// `timeout` passed without that.
func awaitEvents<T: Sendable>(
    _ events: AsyncStream<DomainEvent>, _ what: String, timeout: Duration = .seconds(10),
    _ collect: @escaping @Sendable (DomainEvent) -> T?
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            for await event in events {
                if let result = collect(event) { return result }
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        return try #require(first, "no \(what) within \(timeout)")
    }
}

/// Events gathered across calls of an `awaitEvents` closure.
final class Collected<Element: Sendable>: @unchecked Sendable {
    // Only the single reading task of `awaitEvents` touches `elements`.
    private var elements: [Element] = []

    /// Adds `element`; returns everything gathered once `done`, else nil.
    func append(_ element: Element, done: Bool) -> [Element]? {
        self.elements.append(element)
        return done ? self.elements : nil
    }
}
