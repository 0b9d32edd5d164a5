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

    @OptionGroup var endpoints: RelayEndpoints
    @Flag(help: "Relay on NIO's event loops instead of the splice engine.") var eventLoop = false

    func run() async throws {
        var configuration = GatewayConfiguration(host: "127.0.0.1", port: self.endpoints.port)
        configuration.splicesPlainConnections = !self.eventLoop
        try await RelayProcess.serve(label: "saffron-bench.gateway") { logger in
            WebSocketGateway(
                configuration: configuration,
                resolver: BenchTokenResolver(targetPort: self.endpoints.targetPort), logger: logger)
        }
    }
}

struct BenchTokenResolver: GatewayTokenResolver {
    let targetPort: Int

    func redeem(token: String, origin: String?) async throws -> GatewayTarget {
        guard token == WebSocketClientFraming.token else { throw GatewayRefusal.unknownToken() }
        return GatewayTarget(sessionID: "bench", host: "127.0.0.1", port: self.targetPort)
    }
}
