import ArgumentParser
import SaffronAPI

/// `saffron session ...`: live sessions.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session", abstract: "Show and end live sessions.", subcommands: [List.self, End.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List live sessions.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminSessions().ok.body.json }) { answer in
                if answer.sessions.isEmpty { return print("No live sessions.") }
                Output.table(
                    ["ID", "USER", "POOL", "VM", "PORT", "CLIENT", "STATE", "SINCE"],
                    answer.sessions.map {
                        [$0.id, $0.user, $0.pool, $0.vm, "\($0.port)", $0.clientAddress, $0.state.rawValue, Output.date($0.createdAt)]
                            .map(Output.oneLine)
                    })
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a session: free its VM and port, remove its rule, disconnect its client.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Session id (see `saffron session list`).") var id: String

        func run() async throws {
            _ = try await options.withAPI { try await $0.adminEndSession(path: .init(id: id)).noContent }
            print("Ended session \(id).")
        }
    }
}
