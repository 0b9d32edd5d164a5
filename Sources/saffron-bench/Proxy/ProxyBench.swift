import ArgumentParser
import Foundation

/// `saffron-bench proxy`: Saffron's HTTP CONNECT proxy against squid and raw TCP, on loopback, with one native load
/// client for all three.
struct ProxyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: """
            CONNECT proxy benchmark: server-to-client throughput at several stream counts, tunnels opened per \
            second, and many tunnels opened at once, for raw TCP, Saffron's CONNECT proxy and squid side by side; \
            prints ratios and the goals.
            """)

    @OptionGroup var relayOptions: RelayBenchOptions
    @Option(help: "Tunnels opened at once, each echoing one message through.") var tunnels = 2000
    @Option(help: "Threads opening tunnels at the same time for tunnels per second (besides one thread alone).")
    var openers = 16
    @Option(help: "Bytes each tunnel sends to the target's echo and awaits back.") var echoSize = 64

    func validate() throws {
        guard self.tunnels > 0, self.openers > 0, self.echoSize > 0 else {
            throw ValidationError("--tunnels, --openers and --echo-size must be positive")
        }
    }

    func run() async throws {
        let report = ProxyBenchReport()
        let squid = { try await RelayUnderTest.squid(target: $0, cores: $1, fileDescriptors: self.squidFileDescriptors) }
        let lineUp = try await self.relayOptions.start(report, [RelayUnderTest.saffronProxy, squid])
        defer { lineUp.stop() }
        let relays = lineUp.relays
        report.note(RelayUnderTest.squidVersion())

        try await self.relayOptions.measureThroughput(of: relays, into: report)
        report.printThroughput(streamCounts: self.relayOptions.streamCounts)

        for openers in self.openerCounts {
            for relay in relays {
                report.progress("tunnels per second: \(openers) opener(s) through \(relay.name)")
                let run = TunnelOpenRun(
                    relay: relay, openers: openers, window: self.relayOptions.window, messageSize: self.echoSize)
                report.add(tunnelOpens: try await run.measure(), of: relay.name)
            }
        }
        report.printTunnelOpens(openerCounts: self.openerCounts)

        for relay in relays.dropFirst() {
            report.progress("\(self.tunnels) tunnels at once through \(relay.name)")
            let run = HandshakeRun(relay: relay, count: self.tunnels, echoSize: self.echoSize)
            report.add(concurrentTunnels: try await run.measure(), of: relay.name)
        }
        report.printConcurrentTunnels(count: self.tunnels)

        report.printGoals(openerCounts: self.openerCounts)
    }

    /// One thread opening tunnels one after another, then `openers` at the same time.
    private var openerCounts: [Int] { self.openers == 1 ? [1] : [1, self.openers] }

    /// Two descriptors per tunnel and plenty to spare: squid also sizes its listen backlog from this (a quarter).
    private var squidFileDescriptors: Int { max(16384, 4 * self.tunnels) }
}
