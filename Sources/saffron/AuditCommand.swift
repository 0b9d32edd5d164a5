import ArgumentParser
import SaffronAPI

/// `saffron audit`: the audit log, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: logins, handouts, session ends and admin changes, newest first.",
        discussion: "Page back with --before set to the oldest ID shown. No entry holds a ticket, token or password.")

    @OptionGroup var options: ShowOptions
    @Option(help: "How many entries to show (1 to 1000).") var limit = 50
    @Option(help: "Show only entries older than this ID.") var before: Int?

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1 to 1000.") }
        if let before, before < 1 { throw ValidationError("--before must be an entry ID (1 or more).") }
    }

    func run() async throws {
        try await options.show({ try await $0.auditLog(query: .init(limit: limit, before: before)).ok.body.json }) { page in
            if page.events.isEmpty { return print(before.map { "No entries before \($0)." } ?? "The audit log is empty.") }
            Output.table(
                ["ID", "WHEN", "ACTOR", "ACTION", "SUBJECT", "FROM", "RESULT", "DETAIL"],
                page.events.map {
                    [
                        "\($0.id)", Output.date($0.at), Output.oneLine($0.actor), $0.action, Output.oneLine($0.subject),
                        $0.clientAddress ?? "-", $0.succeeded ? "ok" : "failed", Output.oneLine($0.detail),
                    ]
                })
        }
    }
}
