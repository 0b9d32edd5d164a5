import ArgumentParser
import SaffronAPI

/// `saffron firewall status|reconcile`: which backend forwards the public ports, whether it works on this host, and
/// putting its rules back in step with the live sessions.
struct FirewallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firewall", abstract: "Show how public ports reach the desktops.", subcommands: [Status.self, Reconcile.self])

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The firewall backend in use, whether it works here, and how many sessions it forwards.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            let report = try await options.target.withAPI { try await $0.adminFirewall().ok.body.json }
            if options.json {
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
                    "The \(report.backend) firewall backend does not work on its host. Install its tools "
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
            let rebuilt = try await options.withAPI { try await $0.reconcileFirewall().ok.body.json.rebuilt }
            print(rebuilt ? "The firewall had drifted from the live sessions; its rules are rebuilt." : "The firewall is in step with the live sessions.")
        }
    }
}
