import ArgumentParser
import Foundation
import HTTPAPI
import SaffronAPI
import SaffronApp
import SaffronClient

/// Where an admin command acts: on this host's config and database (`--config`), or on a running broker through its
/// admin API (`--server`, after `saffron login`).
struct TargetOptions: ParsableArguments {
    @OptionGroup var local: ConfigOptions
    @Option(
        help: ArgumentHelp(
            "Drive a running broker's admin API at this URL instead of the local config and database (default: $SAFFRON_SERVER).",
            valueName: "URL"))
    var server: String?
    @Option(help: "PEM file of CA certificates to trust for an https:// --server (default: $SAFFRON_CA_FILE).")
    var caFile: String?

    /// The broker to drive, or nil to act locally.
    func remote() throws -> BrokerClient? {
        if local.config != nil, server != nil {
            throw ValidationError("--config and --server exclude each other: act on the local database or on a running broker.")
        }
        guard local.config == nil else { return nil }  // a config named on the command line means this host
        return try Self.client(server: server, caFile: caFile)
    }

    /// A client of the broker at `server` (else `$SAFFRON_SERVER`) with the saved login or `$SAFFRON_TOKEN`; nil when
    /// neither names a broker.
    static func client(server: String?, caFile: String?) throws -> BrokerClient? {
        let environment = ProcessInfo.processInfo.environment
        guard let server = server ?? environment["SAFFRON_SERVER"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let token = try environment["SAFFRON_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? SavedLogins().login(for: server)?.token
        guard let token else {
            throw ValidationError("Not logged in to \(server): run `saffron login --server \(server)` (or set SAFFRON_TOKEN).")
        }
        return try BrokerClient(server: server, token: token, caFile: caFile ?? environment["SAFFRON_CA_FILE"])
    }

    /// Runs `body` with the API of the broker to act on: this host's, called in this process, or the one `--server`
    /// names, over HTTP. Either way the same operations answer in the same types.
    func withAPI<Answer>(_ body: (any APIProtocol) async throws -> Answer) async throws -> Answer {
        if let client = try remote() { return try await body(client.api) }
        return try await local.components().hostAdminAPI().run(body)
    }
}
