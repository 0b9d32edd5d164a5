import ArgumentParser
import Foundation

/// The options and the setup the relay benchmarks (`gateway`, `proxy`) share: which stream counts, how long each
/// measurement lasts, and whether the load and the relays get cores of their own.
struct RelayBenchOptions: ParsableArguments {
    @Option(help: "Stream counts for the throughput table, comma-separated.") var streams = "1,16,64"
    @Option(help: "Seconds each rate (MB/s, tunnels/s) is measured, after a 0.5 s warm-up.") var seconds = 3.0
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
        guard self.seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    var streamCounts: [Int] { self.streams.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// How long each measurement lasts.
    var window: Duration { .milliseconds(Int(self.seconds * 1000)) }

    /// Readies this process for thousands of connections, prints the machine, pins the cores if asked, starts the
    /// target, and raw TCP and the relays `starters` start against it; if one fails to start, those started stop.
    func start(
        _ report: RelayBenchReport, _ starters: [(BenchTarget, CoreSplit?) async throws -> RelayUnderTest]
    ) async throws -> RelayLineUp {
        LoopbackSocket.raiseOpenFilesLimit()
        signal(SIGPIPE, SIG_IGN)  // writes to connections the other side closed fail with EPIPE instead
        report.printMachine()
        var cores: CoreSplit?
        if self.splitCores {
            guard let split = CoreSplit.halves() else { throw ValidationError("--split-cores needs at least 2 cores") }
            try split.pinSelf()
            report.note("\(split)")
            cores = split
        }
        let target = try BenchTarget()
        var relays = [RelayUnderTest.rawTCP(target: target)]
        do {
            for start in starters { relays.append(try await start(target, cores)) }
        } catch {
            relays.forEach { $0.stop() }
            throw error
        }
        return RelayLineUp(target: target, cores: cores, relays: relays)
    }

    /// Measures every relay at every stream count, one relay after the other for each count.
    func measureThroughput(of relays: [RelayUnderTest], into report: RelayBenchReport) async throws {
        for count in self.streamCounts {
            for relay in relays {
                report.progress("throughput: \(count) stream(s) through \(relay.name)")
                let result = try await ThroughputRun(relay: relay, streams: count, window: self.window).measure()
                report.add(throughput: result, of: relay.name)
            }
        }
    }
}

extension RelayBenchOptions {
    /// Measures every relay's 64-byte round trips, `count` each.
    func measureRoundTrips(of relays: [RelayUnderTest], count: Int, into report: RelayBenchReport) async throws {
        for relay in relays {
            report.progress("round trips through \(relay.name)")
            report.add(roundTrip: try await RoundTripRun(relay: relay, roundTrips: count).measure(), of: relay.name)
        }
    }
}

/// The target and the relays of one benchmark run, raw TCP first, all running until `stop()`.
struct RelayLineUp {
    let target: BenchTarget
    /// The cores the relays were pinned to, if split.
    let cores: CoreSplit?
    let relays: [RelayUnderTest]

    func stop() {
        self.relays.forEach { $0.stop() }
    }
}
