import ArgumentParser
import SaffronAPI
import Store

/// The options of a pool's policy, for `pool create` and `pool set`; those not given stay as they are.
struct PolicyOptions: ParsableArguments {
    @Option(help: "Free VMs kept booted so a handout never waits for a boot.") var spares: Int?
    @Option(help: "At most this many spares boot at once.") var bootLimit: Int?
    @Option(help: "Seconds a spare beyond --spares may run unused before it is powered off.") var spareLinger: Int?
    @Option(help: "Seconds after a handout (or its last ticket) within which a viewer must attach, or 'off'.")
    var attachWindow: SecondsOrOff?
    @Option(help: "Seconds a session may stay without its viewer before it is ended, or 'off'.")
    var disconnectGrace: SecondsOrOff?
    @Option(help: "Seconds a persistent desktop may run without a session before it is shut down, or 'off'.")
    var idleShutdown: SecondsOrOff?
    @Option(help: "SPICE ticket validity in seconds for this pool, or 'off' for the broker's tickets.validitySeconds.")
    var ticketValidity: SecondsOrOff?
    @Option(help: "Desktops of this pool one user may hold at once (1 for persistent pools).")
    var desktopsPerUser: Int?
    @Option(help: "How console files reach desktops: direct (a forwarded port per session), proxy (the CONNECT proxy) or gateway (the SPICE gateway, files that work all session long).")
    var consoleVia: ConsoleRoute?

    /// Whether any option was given.
    var isEmpty: Bool {
        spares == nil && bootLimit == nil && spareLinger == nil && attachWindow == nil && disconnectGrace == nil
            && idleShutdown == nil && ticketValidity == nil && desktopsPerUser == nil && consoleVia == nil
    }

    /// The given options as the API's policy change: left out stays as it is, 0 turns a time limit off.
    var patch: Components.Schemas.PolicyPatch {
        Components.Schemas.PolicyPatch(
            spares: spares, bootLimit: bootLimit, spareLingerSeconds: spareLinger,
            attachWindowSeconds: attachWindow?.wire, disconnectGraceSeconds: disconnectGrace?.wire,
            idleShutdownSeconds: idleShutdown?.wire, ticketValiditySeconds: ticketValidity?.wire,
            maxSessionsPerUser: desktopsPerUser, consoleRoute: consoleVia?.rawValue)
    }

    /// The policy in one line, for people.
    static func describe(_ policy: Components.Schemas.PoolPolicy) -> String {
        func seconds(_ value: Int?) -> String { value.map { "\($0) s" } ?? "off" }
        return """
            spares \(policy.spares) (boot limit \(policy.bootLimit), surplus off after \(policy.spareLingerSeconds) s), \
            attach window \(seconds(policy.attachWindowSeconds)), disconnect grace \(seconds(policy.disconnectGraceSeconds)), \
            idle shutdown \(seconds(policy.idleShutdownSeconds)), ticket validity \(policy.ticketValiditySeconds.map { "\($0) s" } ?? "broker default"), \
            \(policy.maxSessionsPerUser) desktop(s) per user, consoles via route \(policy.consoleRoute)
            """
    }
}

extension ConsoleRoute: ExpressibleByArgument {}

/// A number of seconds, or `off`.
struct SecondsOrOff: ExpressibleByArgument {
    let seconds: Int?

    /// As the API takes it: 0 for off.
    var wire: Int { seconds ?? 0 }

    init?(argument: String) {
        if argument == "off" {
            self.seconds = nil
        } else if let value = Int(argument), value >= 1 {
            self.seconds = value
        } else {
            return nil
        }
    }
}

extension PoolCommand {
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a pool's policy: spares, boot limit, attach window, disconnect grace, idle shutdown, ticket validity.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "Pool name.") var pool: String
        @OptionGroup var policy: PolicyOptions

        func validate() throws {
            guard !policy.isEmpty else { throw ValidationError("Give at least one policy option; see --help.") }
        }

        func run() async throws {
            let updated = try await options.withAPI {
                try await $0.updatePolicy(path: .init(pool: pool), body: .json(policy.patch)).ok.body.json
            }
            print("Pool \(pool): \(PolicyOptions.describe(updated)).")
        }
    }
}
