import Glibc
import ArgumentParser
import Gateway

/// `saffron-bench spice-gateway-relay`: Saffron's SPICE gateway alone in a process, plain (its relay listener's
/// kind of connection), opening the benchmark's target for the benchmark's credential.
struct SpiceGatewayRelayServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spice-gateway-relay",
        abstract: "Runs the SPICE gateway for the SPICE gateway benchmark (started by `saffron-bench spice-gateway`).",
        shouldDisplay: false
    )

    @OptionGroup var endpoints: RelayEndpoints

    func run() async throws {
        try await RelayProcess.serve(label: "saffron-bench.spice-gateway") { logger in
            var configuration = SpiceGatewayConfiguration(host: "127.0.0.1", port: self.endpoints.port)
            configuration.connectionsPerClient = 1_000_000
            configuration.maxConnections = 1_000_000
            return SpiceGateway(
                configuration: configuration, resolver: BenchSpiceResolver(targetPort: self.endpoints.targetPort),
                logger: logger)
        }
    }
}

/// The benchmark's one credential, opening the benchmark's target with the desktop's one ticket.
struct BenchSpiceResolver: SpiceConsoleResolver {
    let targetPort: Int

    func desktop(forCredential credential: String, clientAddress: String) async throws -> SpiceConsoleTarget {
        guard credential == SpiceBenchLink.credential else { throw SpiceConsoleRefusal.unknownCredential }
        return SpiceConsoleTarget(sessionID: "bench", host: "127.0.0.1", port: targetPort)
    }

    func desktopTicket(forSession sessionID: String) async throws -> String {
        SpiceBenchLink.desktopTicket
    }
}

extension RelayUnderTest {
    /// Saffron's `SpiceGateway`, run by this program's hidden `spice-gateway-relay` command, with one viewer's main
    /// channel linked and held open, so the benchmark's streams link as that viewer's display channels.
    static func saffronSpiceGateway(target: BenchTarget, cores: CoreSplit?) async throws -> RelayUnderTest {
        let relay = try await Self.saffron("spice-gateway-relay", target: target, cores: cores) {
            .spiceGateway(port: $0)
        }
        do {
            let main = try LoopbackSocket.connect(port: relay.path.port)
            LoopbackSocket.setReceiveTimeout(main, seconds: 10)
            _ = try SpiceBenchLink.link(main, port: relay.path.port, type: SpiceBenchLink.mainChannel, connectionID: 0)
            _ = try SpiceBenchLink.read(main, exactly: 6 + 32)  // MAIN_INIT
            let stop = relay.afterStop
            relay.afterStop = {
                close(main)
                stop?()
            }
        } catch {
            relay.stop()
            throw error
        }
        return relay
    }
}
