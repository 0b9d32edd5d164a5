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

    @OptionGroup var relayOptions: RelayBenchOptions
    @Option(help: "Round trips measured per relay (after 1000 warm-up ones).") var roundTrips = 20000
    @Option(help: "Concurrent handshakes.") var handshakes = 1000
    @Option(help: "Idle connections for the memory figure.") var idleConnections = 1000
    @Flag(help: "Run Saffron's gateway relaying on NIO's event loops (as wss:// connections are) instead of the splice engine.")
    var eventLoop = false

    func validate() throws {
        guard self.roundTrips > 0, self.handshakes > 0, self.idleConnections > 0 else {
            throw ValidationError("--round-trips, --handshakes and --idle-connections must be positive")
        }
    }

    func run() async throws {
        let report = GatewayBenchReport()
        let saffron = RelayUnderTest.saffronGateway(eventLoop: self.eventLoop)
        if self.eventLoop { report.note("saffron relays on NIO's event loops (--event-loop)") }
        let lineUp = try await self.relayOptions.start(report, [saffron, RelayUnderTest.websockify])
        defer { lineUp.stop() }
        let (relays, target, cores) = (lineUp.relays, lineUp.target, lineUp.cores)

        try await self.relayOptions.measureThroughput(of: relays, into: report)
        report.printThroughput(streamCounts: self.relayOptions.streamCounts)

        try await self.relayOptions.measureRoundTrips(of: relays, count: self.roundTrips, into: report)
        report.printRoundTrips()

        for relay in relays.dropFirst() {
            report.progress("\(self.handshakes) handshakes with \(relay.name)")
            report.add(handshakes: try await HandshakeRun(relay: relay, count: self.handshakes).measure(), of: relay.name)
        }
        report.printHandshakes()

        // Fresh relay processes: the handshakes above grew their heaps, which would hide what idle connections cost.
        for start in [saffron, RelayUnderTest.websockify] {
            let relay = try await start(target, cores)
            defer { relay.stop() }
            report.progress("\(self.idleConnections) idle connections through \(relay.name)")
            let result = try await IdleMemoryRun(relay: relay, target: target, count: self.idleConnections).measure()
            report.add(idleMemory: result, of: relay.name)
        }
        report.printIdleMemory()
    }
}
