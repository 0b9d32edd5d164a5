import ArgumentParser
import SaffronAPI

/// `saffron node list`: the brokers sharing the database.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Show the brokers (nodes) sharing the database.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the nodes: their roles, public address and ports, when each was last seen, what it forwards and which pools it keeps.",
            discussion: "A serving broker reports itself every 5 s; one silent for 20 s is shown as down.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminNodes().ok.body.json }) { answer in
                if answer.nodes.isEmpty { return print("No node has reported yet: nodes report while `saffron serve` runs.") }
                Output.table(
                    ["NODE", "STATE", "ROLES", "ADDRESS", "PORTS", "FORWARDS", "KEEPS POOLS", "LAST SEEN", "STARTED"],
                    answer.nodes.map {
                        [
                            $0.name, $0.isUp ? "up" : "down", $0.roles.map(\.rawValue).joined(separator: ","), $0.publicAddress,
                            $0.portRange, "\($0.forwardedSessions)", $0.keptPools.isEmpty ? "-" : $0.keptPools.joined(separator: ","),
                            Output.date($0.lastSeen), Output.date($0.startedAt),
                        ]
                    })
            }
        }
    }
}
