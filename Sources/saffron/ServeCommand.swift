import ArgumentParser
import Logging
import SaffronApp

/// `saffron serve`: runs the broker.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the broker: HTTP API and forwarding rules, until SIGTERM or SIGINT.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var logger = Logger(label: "saffron")
        logger.logLevel = logLevel
        try ConfigFileSecrecy.check(path: options.path)
        let components = try Components(config: SaffronConfig.load(path: options.path), logger: logger)
        try await BrokerServer(components: components, logger: logger).run()
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
