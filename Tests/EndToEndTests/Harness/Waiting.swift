import Foundation

/// Polls `probe` every `interval` seconds until it returns a value, for at most `timeout` seconds.
/// The tests wait on conditions this way, never on the clock alone; an error thrown by `probe` ends the wait.
@discardableResult
func waitFor<T>(
    _ what: String, timeout: TimeInterval, interval: TimeInterval = 0.2, _ probe: () throws -> T?
) throws -> T {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if let value = try probe() { return value }
        if Date() >= deadline { throw WaitTimeout(what: what, seconds: timeout) }
        Thread.sleep(forTimeInterval: interval)
    }
}

/// Polls `condition` until it holds; see `waitFor`.
func waitUntil(
    _ what: String, timeout: TimeInterval, interval: TimeInterval = 0.2, _ condition: () throws -> Bool
) throws {
    try waitFor(what, timeout: timeout, interval: interval) { try condition() ? true : nil }
}

/// A condition that did not come true in time.
struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    let seconds: TimeInterval
    var description: String { "timed out after \(seconds) s waiting for \(what)" }
}
