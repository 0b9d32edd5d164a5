import Foundation

/// The SPICE link benchmark's table: per strategy, link setup p50/p99 and links per second, then the ratios and the goal.
struct SpiceLinkBenchReport {
    struct Row {
        var strategy: SpiceLinkBench.Strategy
        var durations: [Duration]
        var wall: Duration
    }

    let rows: [Row]
    let threads: Int
    let keysMade: Int
    let keygen: Duration

    func print() {
        Swift.print("SPICE link setup per channel through the gateway's acceptor (ms; the key's making included where it is per link), \(threads) thread(s)")
        Swift.print(Self.pad(["strategy", "p50", "p99", "max", "links/s"]))
        for row in rows {
            Swift.print(Self.pad([
                row.strategy.rawValue, BenchDurations.ms(BenchDurations.percentile(row.durations, 0.5)), BenchDurations.ms(BenchDurations.percentile(row.durations, 0.99)),
                BenchDurations.ms(row.durations.max() ?? .zero), String(format: "%.0f", Double(row.durations.count) / BenchDurations.seconds(row.wall)),
            ]))
        }
        let keysPerSecond = Double(keysMade) / BenchDurations.seconds(keygen)
        Swift.print(String(format: "keys made ahead: %.0f per second on %d thread(s), the most links per second a pool of once-used keys sustains", keysPerSecond, threads))
        if let perLink = rows.first(where: { $0.strategy == .perLink }) {
            for row in rows where row.strategy != .perLink {
                let ratio = BenchDurations.seconds(BenchDurations.percentile(perLink.durations, 0.99)) / max(BenchDurations.seconds(BenchDurations.percentile(row.durations, 0.99)), 1e-9)
                Swift.print("p99 \(SpiceLinkBench.Strategy.perLink.rawValue) / \(row.strategy.rawValue) = \(String(format: "%.1fx", ratio))")
            }
        }
        Swift.print("goal: link setup p99 <= 20 ms")
    }

    static func pad(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in cell.padding(toLength: index == 0 ? 28 : 10, withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }
}
