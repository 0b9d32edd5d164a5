import Foundation

/// Collects the gateway benchmark's figures and prints them as tables with the ratios the goals are stated in.
final class GatewayBenchReport: RelayBenchReport {
    static let websockify = "websockify"

    private var handshakes: [(String, HandshakeRun.Result)] = []
    private var idleMemory: [(String, IdleMemoryRun.Result)] = []

    init() {
        super.init(rival: Self.websockify)
    }

    func add(handshakes result: HandshakeRun.Result, of relay: String) { self.handshakes.append((relay, result)) }
    func add(idleMemory result: IdleMemoryRun.Result, of relay: String) { self.idleMemory.append((relay, result)) }

    func printThroughput(streamCounts: [Int]) {
        self.printThroughputTable(streamCounts: streamCounts)
        Self.say("goals: saffron >= 0.85x raw at 1 stream, >= 2x websockify at 16 and 64 streams\n")
    }

    func printRoundTrips() {
        self.printRoundTripTable()
        Self.say("goal: saffron adds <= 10 µs at p50\n")
    }

    func printHandshakes() {
        self.printOpenings(
            self.handshakes, title: "concurrent handshakes (ms from the start until the 101 arrived; 10 s at most)")
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
}

/// A figure of a relay that is a rate (MB/s, tunnels/s), with the relay's CPU use while it was measured.
protocol RelayRate {
    /// The rate in the unit its table shows.
    var rate: Double { get }
    /// The relay's CPU use in cores (1.0 = one core busy).
    var relayCores: Double { get }
}
