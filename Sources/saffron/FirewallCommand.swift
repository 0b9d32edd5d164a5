import ArgumentParser
import Broker
import Firewall
import Foundation
import SaffronApp
import SaffronClient
import Store

/// `saffron firewall status`: which backend forwards the public ports, and whether it works on this host.
struct FirewallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall", abstract: "Show how public ports reach the desktops.", subcommands: [Status.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The firewall backend in use, whether it works here, and how many sessions it forwards.")
        @OptionGroup var options: TargetOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let report: FirewallReport
            let backendName: String
            if let client = try options.remote() {
                report = try BrokerClient.decode(FirewallReport.self, from: try await client.call(.get, BrokerClient.apiPath("admin", "firewall")))
                backendName = "broker's"
            } else {
                let components = try options.components()
                report = try await components.broker.firewallReport()
                backendName = components.config.firewall.backend
            }
            if json {
                try Output.json(report)
            } else {
                print("backend  \(report.backend)")
                if let forwarded = report.forwarded {
                    print("state    ready: \(forwarded) session(s) forwarded, \(report.liveSessions) live in the store")
                } else {
                    print("state    failed: \(report.error ?? "unknown")")
                }
            }
            guard report.ready else {
                throw ValidationError(
                    "The \(backendName) firewall backend does not work on its host. Install its tools "
                        + "(nftables and libnftables1, or iptables and conntrack), or set firewall.backend in the config.")
            }
        }
    }
}
