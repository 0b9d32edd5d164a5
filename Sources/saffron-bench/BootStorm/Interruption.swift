import UnixSignals

/// SIGINT or SIGTERM arrived while the benchmark ran.
struct Interrupted: Error, CustomStringConvertible {
    let signal: UnixSignal
    var description: String { "interrupted by \(signal)" }
}

enum Interruption {
    /// Runs `body`, cancelling it at the first SIGINT or SIGTERM and throwing `Interrupted` once it has stopped,
    /// so the caller still removes what the benchmark made.
    static func cancellingOnSignal<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                for await signal in signals { throw Interrupted(signal: signal) }
                return nil  // cancelled: the body finished
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }
}
