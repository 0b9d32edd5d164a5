import Foundation

/// The firewall benchmark's table: per session count and backend, the full rebuild and one session's install and
/// remove (p50/p99), then nftables' ratios and the goals.
struct FirewallBenchReport {
    let rows: [FirewallBench.Row]

    func print() {
        Swift.print("one session's forwarding change with N sessions live (ms; an iptables remove includes conntrack -D, an nftables one cuts flows by rule)")
        Swift.print(Self.pad(["sessions", "backend", "rebuild", "install p50", "install p99", "remove p50", "remove p99"]))
        for row in rows {
            Swift.print(Self.pad([
                "\(row.sessions)", row.backend.rawValue, row.rebuild.map(BenchDurations.ms) ?? "-",
                BenchDurations.ms(BenchDurations.percentile(row.install, 0.5)), BenchDurations.ms(BenchDurations.percentile(row.install, 0.99)),
                BenchDurations.ms(BenchDurations.percentile(row.remove, 0.5)), BenchDurations.ms(BenchDurations.percentile(row.remove, 0.99)),
            ]))
        }
        for count in Set(rows.map(\.sessions)).sorted() {
            let atCount = rows.filter { $0.sessions == count }
            guard let nft = atCount.first(where: { $0.backend == .nftables }) else { continue }
            let nftInstall = BenchDurations.percentile(nft.install, 0.99)
            for other in atCount where other.backend != .nftables {
                let ratio = BenchDurations.seconds(BenchDurations.percentile(other.install, 0.99)) / max(BenchDurations.seconds(nftInstall), 1e-9)
                Swift.print("at \(count): install p99 \(other.backend.rawValue) / nftables = \(String(format: "%.1fx", ratio))")
            }
        }
        Swift.print("goals: nftables <= 2 ms p99 per session change at 10,000 and 50,000 sessions; rebuild of 10,000 <= 1 s")
    }

    static func pad(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            cell.padding(toLength: index == 1 ? 22 : 12, withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
}
