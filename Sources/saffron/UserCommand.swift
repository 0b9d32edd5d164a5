import ArgumentParser
import Foundation
import SaffronAPI

/// `saffron user ...`: local accounts.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Add.self, List.self, Set.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a local user; the password is read from stdin (one line) or asked for on a terminal.")
        @OptionGroup var options: TargetOptions
        @Argument(help: "User name.") var name: String
        @Flag(help: "Make the user an admin.") var admin = false
        @Flag(help: "Make the user an auditor: they read what admins read (pools, sessions, users, audit log) and change nothing.")
        var auditor = false

        func validate() throws {
            if admin && auditor { throw ValidationError("A user is an admin or an auditor, not both.") }
        }

        func run() async throws {
            let password = try PasswordInput.read(prompt: "Password for \(name): ")
            let new = Components.Schemas.NewUser(name: name, password: password, admin: admin, auditor: auditor)
            _ = try await options.withAPI { try await $0.addUser(body: .json(new)).created }
            print("Added \(admin ? "admin" : auditor ? "auditor" : "user") \(name).")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var options: ShowOptions

        func run() async throws {
            try await options.show({ try await $0.adminUsers().ok.body.json }) { answer in
                Output.table(
                    ["NAME", "ROLE", "CREATED"],
                    answer.users.map {
                        [Output.oneLine($0.name), $0.admin ? "admin" : $0.auditor ? "auditor" : "user", Output.date($0.createdAt)]
                    })
            }
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a user an admin or an auditor or neither, or give them a new password (which signs them out everywhere).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "User name.") var name: String
        @Flag(inversion: .prefixedNo, help: "Make the user an admin (--admin) or not (--no-admin).") var admin: Bool?
        @Flag(inversion: .prefixedNo, help: "Make the user an auditor, who reads what admins read and changes nothing (--auditor), or not.")
        var auditor: Bool?
        @Flag(help: "Set a new password, read from stdin (one line) or asked for on a terminal.") var password = false

        func validate() throws {
            guard admin != nil || auditor != nil || password else {
                throw ValidationError("Say what to change: --admin, --no-admin, --auditor, --no-auditor or --password.")
            }
            if admin == true && auditor == true { throw ValidationError("A user is an admin or an auditor, not both.") }
        }

        func run() async throws {
            let newPassword = password ? try PasswordInput.read(prompt: "New password for \(name): ") : nil
            let change = Components.Schemas.UserChange(admin: admin, password: newPassword, auditor: auditor)
            _ = try await options.withAPI { try await $0.updateUser(path: .init(user: name), body: .json(change)).ok }
            var changes: [String] = []
            if let admin { changes.append(admin ? "is an admin" : "is no admin") }
            if let auditor { changes.append(auditor ? "is an auditor" : "is no auditor") }
            if password { changes.append("has a new password (and is signed out everywhere)") }
            print("User \(name) \(changes.joined(separator: " and ")).")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a user with their sign-ins, group memberships and grants (not while they hold a desktop).")
        @OptionGroup var options: TargetOptions
        @Argument(help: "User name.") var name: String

        func run() async throws {
            _ = try await options.withAPI { try await $0.deleteUser(path: .init(user: name)).noContent }
            print("Removed user \(name).")
        }
    }
}

/// Reads a password without echo on a terminal, or one line from a pipe.
enum PasswordInput {
    /// A new password: asked twice on a terminal.
    static func read(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            let first = try readOnce(prompt: prompt)
            guard first == (try readOnce(prompt: "Again: ")) else { throw ValidationError("The passwords differ.") }
            return first
        }
        return try readOnce(prompt: prompt)
    }

    /// A password asked once (to log in), without echo on a terminal.
    static func readOnce(prompt: String) throws -> String {
        if isatty(STDIN_FILENO) != 0 {
            guard let typed = getpass(prompt).map({ String(cString: $0) }), !typed.isEmpty else {
                throw ValidationError("No password given.")
            }
            return typed
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("No password on stdin: pipe one line, e.g. `printf '%s\\n' \"$PASS\" | saffron user add NAME`.")
        }
        return line
    }
}
