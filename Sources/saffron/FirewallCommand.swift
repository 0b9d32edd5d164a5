import ArgumentParser
import Broker
import Firewall
import Foundation
import SaffronApp
import SaffronClient
import Store

/// `saffron firewall status|reconcile`: which backend forwards the public ports, whether it works on this host, and
/// putting its rules back in step with the live sessions.
struct FirewallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall", abstract: "Show how public ports reach the desktops.", subcommands: [Status.self, Reconcile.self])

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

    struct Reconcile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the firewall against the live sessions now and rebuild its rules if they drifted.",
            discussion: "The broker does this on its own every few seconds while it serves; this runs it at once.")
        @OptionGroup var options: TargetOptions

        func run() async throws {
            let rebuilt: Bool
            if let client = try options.remote() {
                struct Answer: Decodable { let rebuilt: Bool }
                let data = try await client.call(.post, BrokerClient.apiPath("admin", "firewall", "reconcile"))
                rebuilt = try BrokerClient.decode(Answer.self, from: data).rebuilt
            } else {
                rebuilt = try await options.components().broker.reconcileFirewall()
            }
            print(rebuilt ? "The firewall had drifted from the live sessions; its rules are rebuilt." : "The firewall is in step with the live sessions.")
        }
    }
}
