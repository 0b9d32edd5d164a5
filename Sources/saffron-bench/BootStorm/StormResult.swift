import Foundation

/// A storm's figures in milliseconds: handout latencies, and when the last user was handed out and attached.
struct StormResult: Sendable {
    let outcomes: [UserOutcome]

    /// Handout latencies of the users who got a desktop, sorted.
    var handouts: [Double] { outcomes.compactMap(\.handout).map(Self.milliseconds).sorted() }
    var failures: [String] { outcomes.compactMap(\.failure) }
    var users: Int { outcomes.count }

    /// When the last user was handed out, or nil unless every user was.
    var allHandedOut: Double? { Self.last(outcomes.map(\.handedOut)) }
    /// When the last user was attached, or nil unless every user was.
    var allAttached: Double? { Self.last(outcomes.map(\.attached)) }
    /// When the last user's desktop session showed, or nil unless every user's did (or no desktop image ran).
    var allUsable: Double? { Self.last(outcomes.map(\.usable)) }
    /// Times to a usable desktop, from the start of the storm, sorted.
    var usables: [Double] { outcomes.compactMap(\.usable).map(Self.milliseconds).sorted() }
    /// When the last user who attached did so, and how many did; for a storm with failures.
    var lastAttached: (milliseconds: Double, users: Int)? {
        let times = outcomes.compactMap(\.attached).map(Self.milliseconds)
        return times.max().map { ($0, times.count) }
    }

    func handoutPercentile(_ p: Double) -> Double? {
        let sorted = handouts
        guard !sorted.isEmpty else { return nil }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    var handoutMax: Double? { handouts.last }

    private static func last(_ times: [Duration?]) -> Double? {
        guard !times.isEmpty, times.allSatisfy({ $0 != nil }) else { return nil }
        return times.compactMap { $0 }.map(milliseconds).max()
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
