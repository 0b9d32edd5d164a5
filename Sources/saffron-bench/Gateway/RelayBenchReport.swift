import Foundation

/// What the relay benchmarks share: Saffron's relay against raw TCP and one rival relay, the throughput table with
/// its ratios, and the plain-text table printing.
class RelayBenchReport {
    static let raw = "raw TCP"
    static let saffron = "saffron"

    /// The relay Saffron's is compared with.
    let rival: String
    private var throughput: [String: [Int: ThroughputRun.Result]] = [:]
    private var roundTrips: [(String, RoundTripRun.Result)] = []

    init(rival: String) {
        self.rival = rival
    }

    func add(throughput result: ThroughputRun.Result, of relay: String) {
        self.throughput[relay, default: [:]][result.streams] = result
    }

    func add(roundTrip result: RoundTripRun.Result, of relay: String) { self.roundTrips.append((relay, result)) }

    /// The round-trip table: each relay's percentiles and what it adds to raw TCP's; the goals are the caller's.
    func printRoundTripTable() {
        Self.say("64-byte echo round trip (µs)")
        Self.say(Self.row(["relay", "p50", "p99", "added p50", "added p99"]))
        let raw = self.roundTrips.first { $0.0 == Self.raw }?.1
        for (relay, result) in self.roundTrips {
            let added50 = raw.map { String(format: "%+.1f", result.p50 - $0.p50) } ?? "-"
            let added99 = raw.map { String(format: "%+.1f", result.p99 - $0.p99) } ?? "-"
            Self.say(Self.row([relay, String(format: "%.1f", result.p50), String(format: "%.1f", result.p99), added50, added99]))
        }
    }

    func throughput(of relay: String, streams: Int) -> ThroughputRun.Result? {
        self.throughput[relay]?[streams]
    }

    /// Says on standard error what is being measured now (the tables go to standard output).
    func progress(_ step: String) {
        FileHandle.standardError.write(Data("… \(step)\n".utf8))
    }

    func printMachine() {
        let cpuInfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuInfo.split(separator: "\n").first { $0.hasPrefix("model name") }?
            .split(separator: ":", maxSplits: 1).last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        Self.say("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(model)")
        Self.say("all traffic on 127.0.0.1; one target (stream source / echo / idle) behind every relay")
    }

    /// A line about how this run was set up, printed before the tables.
    func note(_ line: String) {
        Self.say(line)
    }

    /// The server-to-client throughput table; the goals are the caller's to print.
    func printThroughputTable(streamCounts: [Int]) {
        self.printRateTable(
            "\nserver-to-client throughput (MB/s; relay CPU in cores)", rowHeader: "streams", unit: "MB", rows: streamCounts
        ) { self.throughput(of: $0, streams: $1) }
    }

    /// A table of one rate per relay and row: each relay's rate and CPU, Saffron's ratios to raw TCP and to the
    /// rival, and the rate each relay achieves per CPU-second it uses.
    func printRateTable(
        _ title: String, rowHeader: String, unit: String, rows: [Int], _ figure: (String, Int) -> (any RelayRate)?
    ) {
        Self.say(title)
        Self.say(
            Self.row([
                rowHeader, Self.raw, Self.saffron, self.rival, "saffron/raw", "saffron/\(self.rival)",
                "\(unit) per relay CPU-second: saffron/\(self.rival)",
            ]))
        for key in rows {
            let (raw, saffron, rival) = (figure(Self.raw, key), figure(Self.saffron, key), figure(self.rival, key))
            Self.say(
                Self.row([
                    "\(key)", Self.cell(raw), Self.cell(saffron), Self.cell(rival), Self.ratio(saffron?.rate, raw?.rate),
                    Self.ratio(saffron?.rate, rival?.rate), Self.efficiency(saffron, rival),
                ]))
        }
    }

    /// The table of relays opened concurrently: how many answered within 1 s and when, and, where the openings sent
    /// an echo through, how many came back and when the last did.
    func printOpenings(_ results: [(String, HandshakeRun.Result)], title: String) {
        let withEcho = results.contains { !$0.1.echoed.isEmpty }
        Self.say(title)
        let echoHeader = withEcho ? ["echoed", "last echo"] : []
        Self.say(Self.row(["relay", "within 1 s", "answered", "failed", "no answer", "p50", "p99", "last"] + echoHeader))
        for (relay, result) in results {
            let answered = result.answered
            let silent = result.attempted - answered.count - result.failed
            let echoCells = withEcho ? ["\(result.echoed.count)", String(format: "%.0f", result.echoed.last ?? .nan)] : []
            Self.say(
                Self.row(
                    [
                        relay, "\(result.answeredWithinOneSecond)/\(result.attempted)", "\(answered.count)", "\(result.failed)",
                        "\(silent)",
                        String(format: "%.0f", answered.percentile(0.5)), String(format: "%.0f", answered.percentile(0.99)),
                        String(format: "%.0f", answered.last ?? .nan),
                    ] + echoCells))
        }
    }

    /// Writes a line to standard output unbuffered, so each table line shows as soon as it is known.
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func cell(_ result: (any RelayRate)?) -> String {
        guard let result else { return "-" }
        return String(format: "%.0f (%.2f)", result.rate, result.relayCores)
    }

    /// The rate per CPU-second of each relay, and their ratio: what the relay costs, whatever else competes for the
    /// cores (the load client and the target run on the same machine).
    static func efficiency(_ saffron: (any RelayRate)?, _ rival: (any RelayRate)?) -> String {
        guard let saffron, let rival, saffron.relayCores > 0, rival.relayCores > 0 else { return "-" }
        let ours = saffron.rate / saffron.relayCores
        let theirs = rival.rate / rival.relayCores
        return String(format: "%.0f / %.0f = %.2fx", ours, theirs, ours / theirs)
    }

    static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "-" }
        return String(format: "%.2fx", numerator / denominator)
    }

    static func bytes(_ value: Double) -> String {
        value >= Double(1 << 20) ? String(format: "%.1f MiB", value / Double(1 << 20)) : String(format: "%.1f KiB", value / 1024)
    }

    static func row(_ cells: [String]) -> String {
        cells.map { $0.padding(toLength: max(12, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
}
