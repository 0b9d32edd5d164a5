import ArgumentParser
import Broker
import Foundation
import SaffronApp
import SaffronClient
import Store

/// `saffron session ...`: live sessions.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Show and end live sessions.", subcommands: [List.self, End.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live sessions.")
        @OptionGroup var options: TargetOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let rows: [[String]]
            if let client = try options.remote() {
                let data = try await client.call(.get, BrokerClient.apiPath("admin", "sessions"))
                if json { return try Output.apiJSON(data) }
                rows = try BrokerClient.decode(Remote.Sessions.self, from: data).sessions.map {
                    [$0.id, $0.user, $0.pool, $0.vm, "\($0.port)", $0.clientAddress, $0.state, Output.date($0.createdAt)]
                }
            } else {
                let sessions = try await options.components().store.sessions()
                if json { return try Output.json(sessions) }
                rows = sessions.map {
                    [$0.id, $0.user, $0.pool, $0.vm, "\($0.publicPort)", $0.clientAddress, $0.state.rawValue, Output.date($0.createdAt)]
                }
            }
            if rows.isEmpty { return print("No live sessions.") }
            Output.table(["ID", "USER", "POOL", "VM", "PORT", "CLIENT", "STATE", "SINCE"], rows.map { $0.map(Output.oneLine) })
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a session: free its VM and port, remove its rule, disconnect its client.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Session id (see `saffron session list`).") var id: String

        func run() async throws {
            try await options.perform(
                local: { try await $0.broker.endSession(id: id, requestedBy: nil) },
                remote: { try await $0.call(.delete, BrokerClient.apiPath("admin", "sessions", id)) })
            print("Ended session \(id).")
        }
    }
}
