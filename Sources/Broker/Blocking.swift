import Dispatch

/// Runs CPU-heavy or blocking work (bcrypt, PAM) on a global dispatch queue, off Swift's cooperative pool and NIO's
/// loops.
public enum Blocking {
    /// Runs `work` on a global dispatch queue and returns its result.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
