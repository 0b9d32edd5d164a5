import ArgumentParser
import Foundation
import SaffronApp

/// `--config`, shared by every command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: $SAFFRON_CONFIG or \(SaffronConfig.defaultPath)).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["SAFFRON_CONFIG"] ?? SaffronConfig.defaultPath
    }

    /// The loaded config and the broker parts built from it.
    func components() throws -> Components {
        try Components(config: SaffronConfig.load(path: path), logger: CommandLog.logger)
    }
}
