import ArgumentParser
import Foundation
import PostgresStore
import SaffronApp
import Store

/// `saffron db`: the broker's database.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Manage the broker's database.", subcommands: [MigrateTo.self])

    /// `saffron db migrate-to URL`: copies everything into an empty PostgreSQL database.
    struct MigrateTo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate-to",
            abstract: "Copy everything (users, login tokens, pools, VMs, sessions, groups, grants, audit log) into an empty PostgreSQL database.",
            discussion: """
                Stop every broker first: what they change during the copy would be lost. The schema is created in the \
                target; it must hold no users, pools or groups. The copy is one transaction: all or nothing. The \
                password comes from the URL or SAFFRON_DATABASE_PASSWORD. Afterwards set database.url (and the \
                password) in the config and start the brokers.
                """)

        @OptionGroup var options: ConfigOptions
        @Argument(help: "The target database, e.g. postgres://saffron@db.example/saffron?sslmode=verify-full.")
        var url: String
        @Flag(help: "Print JSON: the target and how many rows of each kind were copied.") var json = false

        func run() async throws {
            let config = try SaffronConfig.load(path: options.path)
            var target: PostgresLocation
            do {
                target = try PostgresLocation(url: url)
            } catch let error as PostgresLocationError {
                throw ValidationError("\(error).")
            }
            if target.password == nil, let password = ProcessInfo.processInfo.environment["SAFFRON_DATABASE_PASSWORD"] {
                target.password = password
            }
            if let current = try config.postgresLocation(), current == target {
                throw MoveError(description: "\(target) is the database the config already uses; name another one.")
            }
            let source = try config.openStore()
            try await source.prepare()
            if !json { print("Reading \(config.databaseDescription) ...") }
            let snapshot = try await source.snapshot()
            if !json { print("Writing into \(target) ...") }
            let destination = try PostgresStore(location: target)
            try await destination.prepare()
            do {
                try await destination.restore(snapshot)
            } catch StoreError.notEmpty {
                throw MoveError(
                    description: "\(target) already holds users, pools or groups; copy into an empty database (nothing was written).")
            }
            if json { return try Output.json(Summary(target: target.description, copied: snapshot.counts)) }
            Output.table(["COPIED", "ROWS"], snapshot.counts.map { [$0.key, "\($0.value)"] })
            print("Done. Set database.url to \(target) in \(options.path) (the password through SAFFRON_DATABASE_PASSWORD or database.passwordFile), then start the brokers.")
        }

        struct Summary: Encodable {
            var target: String
            var copied: [String: Int]

            init(target: String, copied: KeyValuePairs<String, Int>) {
                self.target = target
                self.copied = Dictionary(uniqueKeysWithValues: copied.map { ($0.key, $0.value) })
            }
        }
    }

    /// A copy that cannot be made, said so that the admin knows what to do.
    struct MoveError: Error, CustomStringConvertible {
        let description: String
    }
}
