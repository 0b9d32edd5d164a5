import ArgumentParser
import Glibc
import Gateway
import Logging
import ServiceLifecycle
import UnixSignals

/// `saffron-bench gateway-relay`: Saffron's WebSocket gateway alone in a process, relaying the benchmark's token to
/// the benchmark's target, so its CPU time and memory can be read from `/proc`.
struct GatewayRelayServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway-relay",
        abstract: "Runs the WebSocket gateway for the gateway benchmark (started by `saffron-bench gateway`).",
        shouldDisplay: false
    )

    @Option(help: "Port to listen on (127.0.0.1).") var port: Int
    @Option(help: "Port of the benchmark's target (127.0.0.1).") var targetPort: Int

    func run() async throws {
        LoopbackSocket.raiseOpenFilesLimit()
        Self.exitWhenStandardInputCloses()
        var logger = Logger(label: "saffron-bench.gateway")
        logger.logLevel = .warning
        let gateway = WebSocketGateway(
            configuration: GatewayConfiguration(host: "127.0.0.1", port: self.port),
            resolver: BenchTokenResolver(targetPort: self.targetPort), logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [gateway], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension GatewayRelayServer {
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
struct BenchTokenResolver: GatewayTokenResolver {
    let targetPort: Int

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        guard token == WebSocketClientFraming.token else { throw GatewayRefusal.unknownToken() }
        return GatewayTarget(sessionID: "bench", host: "127.0.0.1", port: self.targetPort)
    }
}
