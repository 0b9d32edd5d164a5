import ArgumentParser
import Foundation
import Glibc
import Logging
import ServiceLifecycle
import UnixSignals

/// Where a relay process listens and where it relays to, as the benchmark passes them.
struct RelayEndpoints: ParsableArguments {
    @Option(help: "Port to listen on (127.0.0.1).") var port: Int
    @Option(help: "Port of the benchmark's target (127.0.0.1).") var targetPort: Int
}

/// The body of a relay process started by a benchmark: one service, quiet logs, and no life beyond the benchmark's.
enum RelayProcess {
    /// Runs the service `make` builds until SIGTERM, SIGINT or the benchmark's end, with the open files limit raised
    /// for thousands of connections.
    static func serve(label: String, _ make: (Logger) -> any Service) async throws {
        LoopbackSocket.raiseOpenFilesLimit()
        Self.exitWhenStandardInputCloses()
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: [make(logger)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The benchmark holds our standard input open; when it ends, even killed, the relay must not outlive it.
    static func exitWhenStandardInputCloses() {
        BenchThread.start {
            var byte: UInt8 = 0
            while read(STDIN_FILENO, &byte, 1) > 0 {}
            Glibc.exit(0)
        }
    }
}

/// Redeems the benchmark's one token, any number of times, to the benchmark's target.
