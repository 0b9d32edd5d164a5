import ArgumentParser
import Foundation
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

    /// The local config and the broker parts built from it.
    func components() throws -> Components { try local.components() }

    /// Runs `remote` against the broker when `--server` is given, else `local` on this host.
    func perform(local: (Components) async throws -> Void, remote: (BrokerClient) async throws -> Void) async throws {
        if let client = try self.remote() {
            try await remote(client)
        } else {
            try await local(try components())
        }
    }
}
