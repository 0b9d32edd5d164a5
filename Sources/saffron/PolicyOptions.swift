import Foundation
import ArgumentParser
import Broker
import SaffronApp
import SaffronClient
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
    @Option(help: "How console files reach desktops: direct (a forwarded port per session) or proxy (the CONNECT proxy).")
    var consoleVia: ConsoleRoute?

    /// Whether any option was given.
    var isEmpty: Bool {
        spares == nil && bootLimit == nil && spareLinger == nil && attachWindow == nil && disconnectGrace == nil
            && idleShutdown == nil && ticketValidity == nil && desktopsPerUser == nil && consoleVia == nil
    }

    /// Applies the given options to `policy`.
    func apply(to policy: inout PoolPolicy) {
        if let spares { policy.spares = spares }
        if let bootLimit { policy.bootLimit = bootLimit }
        if let spareLinger { policy.spareLingerSeconds = spareLinger }
        if let attachWindow { policy.attachWindowSeconds = attachWindow.seconds }
        if let disconnectGrace { policy.disconnectGraceSeconds = disconnectGrace.seconds }
        if let idleShutdown { policy.idleShutdownSeconds = idleShutdown.seconds }
        if let ticketValidity { policy.ticketValiditySeconds = ticketValidity.seconds }
        if let desktopsPerUser { policy.maxSessionsPerUser = desktopsPerUser }
        if let consoleVia { policy.consoleRoute = consoleVia }
    }

    /// The given options as the admin API's policy change: left out stays, `null` turns a time limit off.
    var patch: [String: Any] {
        var patch: [String: Any] = [:]
        func put(_ key: String, _ value: Int?) { if let value { patch[key] = value } }
        func put(_ key: String, _ value: SecondsOrOff?) { if let value { patch[key] = value.seconds.map { $0 as Any } ?? NSNull() } }
        put("spares", spares)
        put("bootLimit", bootLimit)
        put("spareLingerSeconds", spareLinger)
        put("attachWindowSeconds", attachWindow)
        put("disconnectGraceSeconds", disconnectGrace)
        put("idleShutdownSeconds", idleShutdown)
        put("ticketValiditySeconds", ticketValidity)
        put("maxSessionsPerUser", desktopsPerUser)
        if let consoleVia { patch["consoleRoute"] = consoleVia.rawValue }
        return patch
    }

    /// The policy in one line, for people.
    static func describe(_ policy: PoolPolicy) -> String {
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

    init?(argument: String) {
        if argument == "off" {
            self.seconds = nil
        } else if let value = Int(argument) {
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
            let updated: PoolPolicy
            if let client = try options.remote() {
                let body = try JSONSerialization.data(withJSONObject: policy.patch)
                let data = try await client.call(.patch, BrokerClient.apiPath("admin", "pools", pool, "policy"), json: body)
                updated = try BrokerClient.decode(PoolPolicy.self, from: data)
            } else {
                updated = try await options.components().broker.updatePolicy(ofPool: pool) { policy.apply(to: &$0) }
            }
            print("Pool \(pool): \(PolicyOptions.describe(updated)).")
        }
    }
}
