import Dispatch

/// Runs CPU-heavy or blocking work (bcrypt) on a global dispatch queue, off Swift's cooperative pool and NIO's loops.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
