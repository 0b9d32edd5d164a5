import ArgumentParser
import Broker
import Foundation
import SaffronApp
import Store



/// `saffron session ...`: live sessions.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Show and end live sessions.", subcommands: [List.self, End.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live sessions.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let sessions = try await options.components().store.sessions()
            if json {
                try Output.json(sessions)
            } else if sessions.isEmpty {
                print("No live sessions.")
            } else {
                Output.table(
                    ["ID", "USER", "POOL", "VM", "PORT", "CLIENT", "STATE", "SINCE"],
                    sessions.map {
                        [$0.id, $0.user, $0.pool, $0.vm, "\($0.publicPort)", $0.clientAddress, $0.state.rawValue, Output.date($0.createdAt)]
                    })
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a session: free its VM and port, remove its rule, disconnect its client.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "Session id (see `saffron session list`).") var id: String

        func run() async throws {
            try await options.components().broker.endSession(id: id, requestedBy: nil)
            print("Ended session \(id).")
        }
    }
}
