import ArgumentParser
import Foundation
import SaffronAPI
import SaffronClient

/// `saffron login`: logs in to a running broker so that admin commands can drive it with `--server`.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a running broker; later commands with --server URL (or $SAFFRON_SERVER) act on it.",
        discussion: """
            The password is read from stdin (one line) or asked for on a terminal. The token is kept in \
            ~/.config/saffron/logins.json (mode 0600) until it expires; the password is not kept.
            """)
    @Option(help: ArgumentHelp("The broker's URL (default: $SAFFRON_SERVER).", valueName: "URL")) var server: String?
    @Option(help: "User name (default: $USER).") var user: String?
    @Option(help: "PEM file of CA certificates to trust for an https:// server (default: $SAFFRON_CA_FILE).") var caFile: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = server ?? environment["SAFFRON_SERVER"] else {
            throw ValidationError("Say which broker: --server URL, e.g. --server https://broker.example:8443.")
        }
        guard let name = user ?? environment["USER"] else { throw ValidationError("Say who you are: --user NAME.") }
        let password = try PasswordInput.readOnce(prompt: "Password for \(name) at \(server): ")
        let client = try BrokerClient(server: server, token: nil, caFile: caFile ?? environment["SAFFRON_CA_FILE"])
        let answer = try await client.api.login(body: .json(.init(username: name, password: password))).ok.body.json
        let logins = SavedLogins()
        try logins.save(.init(user: name, token: answer.token, expiresAt: answer.expiresAt), for: client.server)
        print("Logged in to \(client.server) as \(name) until \(Output.date(answer.expiresAt)). Use --server \(client.server) or export SAFFRON_SERVER=\(client.server).")
    }
}

/// `saffron logout`: ends the saved login to a broker.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End the saved login to a running broker.")
    @Option(help: ArgumentHelp("The broker's URL (default: $SAFFRON_SERVER).", valueName: "URL")) var server: String?
    @Option(help: "PEM file of CA certificates to trust for an https:// server (default: $SAFFRON_CA_FILE).") var caFile: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let server = server ?? environment["SAFFRON_SERVER"] else { throw ValidationError("Say which broker: --server URL.") }
        let logins = SavedLogins()
        guard let login = try logins.login(for: server) else {
            print("Not logged in to \(server).")
            return
        }
        let client = try BrokerClient(server: server, token: login.token, caFile: caFile ?? environment["SAFFRON_CA_FILE"])
        _ = try await client.api.logout().noContent
        try logins.save(nil, for: client.server)
        print("Logged out of \(client.server).")
    }
}
