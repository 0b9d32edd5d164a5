import Foundation

/// Collects the gateway benchmark's figures and prints them as tables with the ratios the goals are stated in.
final class GatewayBenchReport {
    static let raw = "raw TCP"
    static let saffron = "saffron"
    static let websockify = "websockify"

    private var throughput: [String: [Int: ThroughputRun.Result]] = [:]
    private var roundTrips: [(String, RoundTripRun.Result)] = []
    private var handshakes: [(String, HandshakeRun.Result)] = []
    private var idleMemory: [(String, IdleMemoryRun.Result)] = []

    func add(throughput result: ThroughputRun.Result, of relay: String) {
        self.throughput[relay, default: [:]][result.streams] = result
    }
    func add(roundTrip result: RoundTripRun.Result, of relay: String) { self.roundTrips.append((relay, result)) }
    func add(handshakes result: HandshakeRun.Result, of relay: String) { self.handshakes.append((relay, result)) }
    func add(idleMemory result: IdleMemoryRun.Result, of relay: String) { self.idleMemory.append((relay, result)) }

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

    func printThroughput(streamCounts: [Int]) {
        Self.say("\nserver-to-client throughput (MB/s; relay CPU in cores)")
        Self.say(
            Self.row([
                "streams", Self.raw, Self.saffron, Self.websockify, "saffron/raw", "saffron/websockify",
                "MB per relay CPU-second: saffron/websockify",
            ]))
        for count in streamCounts {
            let raw = self.throughput[Self.raw]?[count]
            let saffron = self.throughput[Self.saffron]?[count]
            let websockify = self.throughput[Self.websockify]?[count]
            Self.say(
                Self.row([
                    "\(count)", Self.cell(raw), Self.cell(saffron), Self.cell(websockify),
                    Self.ratio(saffron?.bytesPerSecond, raw?.bytesPerSecond),
                    Self.ratio(saffron?.bytesPerSecond, websockify?.bytesPerSecond),
                    Self.efficiency(saffron, websockify),
                ]))
        }
        Self.say("goals: saffron >= 0.85x raw at 1 stream, >= 2x websockify at 16 and 64 streams\n")
    }

    func printRoundTrips() {
        Self.say("64-byte echo round trip (µs)")
        Self.say(Self.row(["relay", "p50", "p99", "added p50", "added p99"]))
        let raw = self.roundTrips.first { $0.0 == Self.raw }?.1
        for (relay, result) in self.roundTrips {
            let added50 = raw.map { String(format: "%+.1f", result.p50 - $0.p50) } ?? "-"
            let added99 = raw.map { String(format: "%+.1f", result.p99 - $0.p99) } ?? "-"
            Self.say(Self.row([relay, String(format: "%.1f", result.p50), String(format: "%.1f", result.p99), added50, added99]))
        }
        Self.say("goal: saffron adds <= 10 µs at p50\n")
    }

    func printHandshakes() {
        Self.say("concurrent handshakes (ms from the start until the 101 arrived; 10 s at most)")
        Self.say(Self.row(["relay", "within 1 s", "answered", "failed", "no answer", "p50", "p99", "last"]))
        for (relay, result) in self.handshakes {
            let answered = result.answered
            let silent = result.attempted - answered.count - result.failed
            Self.say(
                Self.row([
                    relay, "\(result.answeredWithinOneSecond)/\(result.attempted)", "\(answered.count)", "\(result.failed)",
                    "\(silent)",
                    String(format: "%.0f", answered.percentile(0.5)), String(format: "%.0f", answered.percentile(0.99)),
                    String(format: "%.0f", answered.last ?? .nan),
                ]))
        }
        Self.say("goal: all answered within 1 s\n")
    }

    func printIdleMemory() {
        Self.say("memory per idle connection (proportional set size of the relay's processes)")
        Self.say(Self.row(["relay", "reached target", "baseline", "per connection"]))
        for (relay, result) in self.idleMemory {
            Self.say(
                Self.row([
                    relay, "\(result.connections)/\(result.opened)", Self.bytes(Double(result.baselineBytes)),
                    Self.bytes(result.bytesPerConnection),
                ]))
        }
        Self.say("goal: saffron <= 64 KiB per idle connection")
    }

    /// Writes a line to standard output unbuffered, so each table line shows as soon as it is known.
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private static func cell(_ result: ThroughputRun.Result?) -> String {
        guard let result else { return "-" }
        return String(format: "%.0f (%.2f)", result.megabytesPerSecond, result.relayCores)
    }

    /// Bytes relayed per CPU-second of each relay, and their ratio: what the relay costs, whatever else competes
    /// for the cores (the load client and the target run on the same machine).
    private static func efficiency(_ saffron: ThroughputRun.Result?, _ websockify: ThroughputRun.Result?) -> String {
        guard let saffron, let websockify, saffron.relayCores > 0, websockify.relayCores > 0 else { return "-" }
        let ours = saffron.megabytesPerSecond / saffron.relayCores
        let theirs = websockify.megabytesPerSecond / websockify.relayCores
        return String(format: "%.0f / %.0f = %.2fx", ours, theirs, ours / theirs)
    }

    private static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "-" }
        return String(format: "%.2fx", numerator / denominator)
    }

    private static func bytes(_ value: Double) -> String {
        value >= Double(1 << 20) ? String(format: "%.1f MiB", value / Double(1 << 20)) : String(format: "%.1f KiB", value / 1024)
    }

    private static func row(_ cells: [String]) -> String {
        cells.map { $0.padding(toLength: max(12, $0.count), withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
}
