import ArgumentParser
import Foundation

/// `saffron-bench spice-gateway`: Saffron's SPICE gateway (the link taken with its own key, the desktop linked with
/// its ticket, then relayed) against the CONNECT proxy's plain tunnel and raw TCP, on loopback, with one native load
/// client for all three.
struct SpiceGatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spice-gateway",
        abstract: """
            SPICE gateway benchmark: throughput and 64-byte round trips after the link, through the SPICE gateway \
            against a plain CONNECT tunnel and raw TCP, and channel links through the gateway (p50/p99, per second); \
            prints ratios and the goals.
            """)

    @OptionGroup var relayOptions: RelayBenchOptions
    @Option(help: "Round trips measured per relay (after 1000 warm-up ones).") var roundTrips = 20000
    @Option(help: "Channel links timed one after another through the gateway.") var links = 1000
    @Option(help: "Threads linking channels at the same time for links per second (besides one thread alone).")
    var openers = 16

    func validate() throws {
        guard self.roundTrips > 0, self.links > 0, self.openers > 0 else {
            throw ValidationError("--round-trips, --links and --openers must be positive")
        }
    }

    func run() async throws {
        let report = SpiceGatewayBenchReport()
        let tunnel = { (target: BenchTarget, cores: CoreSplit?) in
            let relay = try await RelayUnderTest.saffronProxy(target: target, cores: cores)
            relay.name = SpiceGatewayBenchReport.tunnel
            return relay
        }
        let lineUp = try await self.relayOptions.start(report, [tunnel, RelayUnderTest.saffronSpiceGateway])
        defer { lineUp.stop() }
        let relays = lineUp.relays
        report.note("the SPICE gateway plain (as its relay listener serves the broker's WebSocket gateway); streams link as display channels of one viewer")

        try await self.relayOptions.measureThroughput(of: relays, into: report)
        report.printThroughput(streamCounts: self.relayOptions.streamCounts)

        try await self.relayOptions.measureRoundTrips(of: relays, count: self.roundTrips, into: report)
        report.printRoundTrips()

        let gateway = relays.last!
        report.progress("\(self.links) channel links one after another")
        let sequential = try await LinkSetupRun(relay: gateway).timeEach(self.links)
        var rates: [(Int, LinkSetupRun.Rate)] = []
        for openers in [1, self.openers] {
            report.progress("channel links per second: \(openers) opener(s)")
            rates.append((openers, try await LinkSetupRun(relay: gateway).rate(openers: openers, window: self.relayOptions.window)))
        }
        report.printLinks(sequential, rates: rates)
    }
}

/// Collects the SPICE gateway benchmark's figures and prints them as tables with the ratios the goals are stated in.
final class SpiceGatewayBenchReport: RelayBenchReport {
    static let tunnel = "CONNECT tunnel"

    init() {
        super.init(rival: Self.tunnel)
    }

    func printThroughput(streamCounts: [Int]) {
        self.printThroughputTable(streamCounts: streamCounts)
        Self.say("goal: no measurable difference from the CONNECT tunnel after the link\n")
    }

    func printRoundTrips() {
        self.printRoundTripTable()
        Self.say("goal: no measurable difference from the CONNECT tunnel after the link\n")
    }

    func printLinks(_ sequential: LinkSetupRun.Timing, rates: [(Int, LinkSetupRun.Rate)]) {
        Self.say("channel link through the gateway (connect, link with the gateway's key, credential looked up, desktop linked with its ticket, OK)")
        Self.say(Self.row(["links", "p50 ms", "p99 ms"]))
        Self.say(Self.row(["\(sequential.count) one after another", String(format: "%.2f", sequential.p50), String(format: "%.2f", sequential.p99)]))
        Self.say(Self.row(["openers", "links/s", "relay cores"]))
        for (openers, rate) in rates {
            Self.say(Self.row(["\(openers)", String(format: "%.0f", rate.perSecond), String(format: "%.2f", rate.relayCores)]))
        }
        Self.say("goal: link setup p99 <= 20 ms")
    }
}
