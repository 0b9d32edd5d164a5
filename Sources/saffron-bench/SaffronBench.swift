import ArgumentParser

/// `saffron-bench`: side-by-side benchmarks that print ratios; figures are kept in `bench/README.md`.
@main
struct SaffronBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "saffron-bench",
        abstract: "Saffron's benchmarks: each compares alternatives side by side in one run and prints ratios.",
        subcommands: [
            HandoutBench.self, GatewayBench.self, GatewayRelayServer.self, ProxyBench.self, ProxyRelayServer.self,
            BootStormBench.self, FirewallBench.self, SpiceLinkBench.self, SpiceGatewayBench.self, SpiceGatewayRelayServer.self,
        ],
        defaultSubcommand: HandoutBench.self
    )
}
