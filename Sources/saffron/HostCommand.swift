import ArgumentParser
import SaffronAPI

/// `saffron host list`: the libvirt hosts the pools live on.
struct HostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host", abstract: "Show the libvirt hosts the pools live on.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each libvirt connection of the pools: whether it answers, its domains and the pools' VMs running there.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminHosts().ok.body.json }) { answer in
                if answer.hosts.isEmpty {
                    return print("No pools yet, so no hosts. Create one: saffron pool create NAME --connect qemu:///system")
                }
                Output.table(
                    ["CONNECT", "STATE", "DOMAINS", "RUNNING", "POOL VMS RUNNING", "POOLS"],
                    answer.hosts.map {
                        [
                            $0.connect, $0.reachable ? "up" : "down: \(Output.oneLine($0.error ?? "unknown"))",
                            $0.domains.map(String.init) ?? "-", $0.running.map(String.init) ?? "-",
                            "\($0.poolVMsRunning.map(String.init) ?? "-") of \($0.poolVMs)", $0.pools.joined(separator: ", "),
                        ]
                    })
            }
        }
    }
}
