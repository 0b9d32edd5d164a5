import Foundation

/// Collects the proxy benchmark's figures and prints them as tables with the ratios the goals are stated in, then
/// each goal as met or not met.
final class ProxyBenchReport: RelayBenchReport {
    private var tunnelOpens: [String: [Int: TunnelOpenRun.Result]] = [:]
    private var concurrentTunnels: [(String, HandshakeRun.Result)] = []

    init() {
        super.init(rival: SquidConfiguration.relayName)
    }

    func add(tunnelOpens result: TunnelOpenRun.Result, of relay: String) {
        self.tunnelOpens[relay, default: [:]][result.openers] = result
    }

    func add(concurrentTunnels result: HandshakeRun.Result, of relay: String) {
        self.concurrentTunnels.append((relay, result))
    }

    func printThroughput(streamCounts: [Int]) {
        self.printThroughputTable(streamCounts: streamCounts)
        Self.say("")
    }

    func printTunnelOpens(openerCounts: [Int]) {
        self.printRateTable(
            "tunnels per second (each: open, echo, close; threads opening them; relay CPU in cores)",
            rowHeader: "openers", unit: "tunnels", rows: openerCounts
        ) { self.tunnelOpens[$0]?[$1] }
        let failures = self.tunnelOpens.flatMap { relay, byOpeners in
            byOpeners.values.filter { $0.failed > 0 }.map { "\(relay) \($0.failed) with \($0.openers) opener(s)" }
        }
        let failed = failures.isEmpty ? "no tunnel failed" : "failed tunnels: \(failures.sorted().joined(separator: ", "))"
        Self.say(failed + "\n")
    }

    func printConcurrentTunnels(count: Int) {
        let title = "\(count) tunnels at once (ms from the start until the 200 arrived and until the echo was back; 10 s at most)"
        self.printOpenings(self.concurrentTunnels, title: title)
        Self.say("")
    }

    /// The goals of the issue, each with the measured ratio and whether it is met.
    func printGoals(openerCounts: [Int]) {
        let rate: (String, Int) -> Double? = { self.throughput(of: $0, streams: $1)?.bytesPerSecond }
        var goals = [Goal("saffron >= 0.85x raw TCP at 1 stream", rate(Self.saffron, 1), rate(Self.raw, 1), needed: 0.85)]
        for streams in [16, 64] {
            let text = "saffron >= 2x squid at \(streams) streams"
            goals.append(Goal(text, rate(Self.saffron, streams), rate(self.rival, streams), needed: 2))
        }
        for openers in openerCounts {
            let tunnels: (String) -> Double? = { self.tunnelOpens[$0]?[openers]?.tunnelsPerSecond }
            let text = "saffron >= 1.5x squid's tunnels per second, \(openers) opener(s)"
            goals.append(Goal(text, tunnels(Self.saffron), tunnels(self.rival), needed: 1.5))
        }
        Self.say("goals")
        let width = goals.map(\.text.count).max() ?? 0
        for goal in goals {
            Self.say("\(goal.text.padding(toLength: width, withPad: " ", startingAt: 0))  \(goal.verdict)")
        }
    }

    /// One goal: saffron's figure over another relay's, at least `needed`.
    private struct Goal {
        let text: String
        let ours: Double?
        let theirs: Double?
        let needed: Double

        init(_ text: String, _ ours: Double?, _ theirs: Double?, needed: Double) {
            (self.text, self.ours, self.theirs, self.needed) = (text, ours, theirs, needed)
        }

        var verdict: String {
            guard let ours, let theirs, theirs > 0 else { return "not measured" }
            return String(format: "%.2fx  ", ours / theirs) + (ours / theirs >= self.needed ? "met" : "not met")
        }
    }
}
