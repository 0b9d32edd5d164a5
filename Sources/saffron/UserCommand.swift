import ArgumentParser
import Broker
import Foundation
import SaffronApp
import Store



/// `saffron user ...`: local accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage local users.", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a local user; the password is read from stdin (one line) or asked for on a terminal.")
        @OptionGroup var options: ConfigOptions
        @Argument(help: "User name.") var name: String
        @Flag(help: "Make the user an admin.") var admin = false

        func run() async throws {
            let password = try PasswordInput.read(prompt: "Password for \(name): ")
            let components = try options.components()
            try await components.accounts.addUser(name: name, password: password, isAdmin: admin)
            print("Added \(admin ? "admin" : "user") \(name).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let users = try await options.components().store.users()
            if json {
                struct Row: Encodable { let name: String; let admin: Bool; let createdAt: Date }
                try Output.json(users.map { Row(name: $0.name, admin: $0.isAdmin, createdAt: $0.createdAt) })
            } else {
                Output.table(["NAME", "ROLE", "CREATED"], users.map { [$0.name, $0.isAdmin ? "admin" : "user", Output.date($0.createdAt)] })
            }
        }
    }
}

/// Reads a password without echo on a terminal, or one line from a pipe.
enum PasswordInput {
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            guard let first = getpass(prompt).map({ String(cString: $0) }),
                let second = getpass("Again: ").map({ String(cString: $0) })
            else { throw ValidationError("No password given.") }
            guard first == second else { throw ValidationError("The passwords differ.") }
            return first
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("No password on stdin: pipe one line, e.g. `printf '%s\\n' \"$PASS\" | saffron user add NAME`.")
        }
        return line
    }
}
