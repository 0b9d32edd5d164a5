import ArgumentParser
import Foundation
import SaffronApp
import Store

/// `saffron init`: writes a default config if there is none (readable by root only) and creates the database.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the config file (if absent) and the database.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let path = options.path
        if FileManager.default.fileExists(atPath: path) {
            print("Config \(path) exists; keeping it.")
        } else {
            try ConfigFileSecrecy.writeNew(SaffronConfig(), to: path)
            print("Wrote default config \(path); edit gateway.publicAddress before serving.")
        }
        let config = try SaffronConfig.load(path: path)
        try await config.openStore().prepare()
        print("Database ready at \(config.databaseDescription).")
    }
}
