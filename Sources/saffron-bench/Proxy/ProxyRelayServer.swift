import ArgumentParser
import Gateway

/// `saffron-bench proxy-relay`: Saffron's CONNECT proxy alone in a process, granting tunnels to the benchmark's
/// target only, so its CPU time and memory can be read from `/proc`.
struct ProxyRelayServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-relay",
        abstract: "Runs the CONNECT proxy for the proxy benchmark (started by `saffron-bench proxy`).",
        shouldDisplay: false
    )

    @OptionGroup var endpoints: RelayEndpoints
    @Option(help: "Connections the load client, one address, may hold at once (a real client holds 4 to 8).")
    var connectionsPerClient = 100_000

    func run() async throws {
        try await RelayProcess.serve(label: "saffron-bench.proxy") { logger in
            var configuration = ProxyConfiguration(host: "127.0.0.1", port: self.endpoints.port)
            configuration.connectionsPerClient = self.connectionsPerClient
            return ConnectProxy(
                configuration: configuration, authorizer: BenchTunnelAuthorizer(targetPort: self.endpoints.targetPort),
                logger: logger)
        }
    }
}

/// Grants tunnels from 127.0.0.1 to the benchmark's target and to nothing else, as the broker grants a client its
/// own session's endpoint only.
struct BenchTunnelAuthorizer: TunnelAuthorizer {
    let targetPort: Int

    func authorize(clientAddress: String, target: ConnectTarget) async throws -> String {
        guard clientAddress == "127.0.0.1", target == ConnectTarget(host: "127.0.0.1", port: self.targetPort) else {
            throw TunnelRefusal.forbidden
        }
        return "bench"
    }
}

extension RelayUnderTest {
    /// Saffron's `ConnectProxy`, run by this program's hidden `proxy-relay` command.
    static func saffronProxy(target: BenchTarget, cores: CoreSplit?) async throws -> RelayUnderTest {
        try await Self.saffron("proxy-relay", target: target, cores: cores) {
            .connectProxy(port: $0, targetPort: target.port)
        }
    }
}
