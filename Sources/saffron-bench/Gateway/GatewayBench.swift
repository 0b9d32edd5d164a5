import ArgumentParser
import Foundation

/// `saffron-bench gateway`: Saffron's WebSocket gateway against websockify and raw TCP, on loopback, with one native
/// load client for all three.
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: """
            WebSocket gateway benchmark: server-to-client throughput at several stream counts, 64-byte round trips, \
            concurrent handshakes and memory per idle connection, for raw TCP, Saffron's gateway and websockify \
            side by side; prints ratios and the goals.
            """)

    @Option(help: "Stream counts for the throughput table, comma-separated.") var streams = "1,16,64"
    @Option(help: "Seconds each throughput cell is measured (after a 0.5 s warm-up).") var seconds = 3.0
    @Option(help: "Round trips measured per relay (after 1000 warm-up ones).") var roundTrips = 20000
    @Option(help: "Concurrent handshakes.") var handshakes = 1000
    @Option(help: "Idle connections for the memory figure.") var idleConnections = 1000
    @Flag(
        help: """
            Run the load client and target on the first half of the cores and each relay on the other half, so \
            relays do not compete with the load for CPU.
            """)
    var splitCores = false

    func validate() throws {
        guard !self.streamCounts.isEmpty, self.streamCounts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--streams takes positive numbers separated by commas, e.g. 1,16,64")
        }
        guard self.seconds > 0, self.roundTrips > 0, self.handshakes > 0, self.idleConnections > 0 else {
            throw ValidationError("--seconds, --round-trips, --handshakes and --idle-connections must be positive")
        }
    }

    var streamCounts: [Int] { self.streams.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        LoopbackSocket.raiseOpenFilesLimit()
        signal(SIGPIPE, SIG_IGN)  // writes to connections the other side closed fail with EPIPE instead
        let report = GatewayBenchReport()
        report.printMachine()
        var cores: CoreSplit?
        if self.splitCores {
            guard let split = CoreSplit.halves() else { throw ValidationError("--split-cores needs at least 2 cores") }
            try split.pinSelf()
            report.note("\(split)")
            cores = split
        }
        let target = try BenchTarget()
        let relays = [
            RelayUnderTest.rawTCP(target: target),
            try await RelayUnderTest.saffronGateway(target: target, cores: cores),
            try await RelayUnderTest.websockify(target: target, cores: cores),
        ]
        defer { relays.forEach { $0.stop() } }
        let window = Duration.milliseconds(Int(self.seconds * 1000))

        for count in self.streamCounts {
            for relay in relays {
                report.progress("throughput: \(count) stream(s) through \(relay.name)")
                let result = try await ThroughputRun(relay: relay, streams: count, window: window).measure()
                report.add(throughput: result, of: relay.name)
            }
        }
        report.printThroughput(streamCounts: self.streamCounts)

        for relay in relays {
            report.progress("round trips through \(relay.name)")
            report.add(roundTrip: try await RoundTripRun(relay: relay, roundTrips: self.roundTrips).measure(), of: relay.name)
        }
        report.printRoundTrips()

        for relay in relays.dropFirst() {
            report.progress("\(self.handshakes) handshakes with \(relay.name)")
            report.add(handshakes: try await HandshakeRun(relay: relay, count: self.handshakes).measure(), of: relay.name)
        }
        report.printHandshakes()

        // Fresh relay processes: the handshakes above grew their heaps, which would hide what idle connections cost.
        for start in [RelayUnderTest.saffronGateway, RelayUnderTest.websockify] {
            let relay = try await start(target, cores)
            defer { relay.stop() }
            report.progress("\(self.idleConnections) idle connections through \(relay.name)")
            let result = try await IdleMemoryRun(relay: relay, target: target, count: self.idleConnections).measure()
            report.add(idleMemory: result, of: relay.name)
        }
        report.printIdleMemory()
    }
}
