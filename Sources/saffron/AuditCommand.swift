import ArgumentParser
import Broker
import Foundation
import SaffronApp
import SaffronClient
import Store

/// `saffron audit`: the audit log, newest first.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: logins, handouts, session ends and admin changes, newest first.",
        discussion: "Page back with --before set to the oldest ID shown. No entry holds a ticket, token or password.")

    @OptionGroup var options: TargetOptions
    @Option(help: "How many entries to show (1 to 1000).") var limit = 50
    @Option(help: "Show only entries older than this ID.") var before: Int64?
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1 to 1000.") }
        if let before, before < 1 { throw ValidationError("--before must be an entry ID (1 or more).") }
    }

    func run() async throws {
        let entries: [AuditEvent]
        if let client = try options.remote() {
            let query = [("limit", "\(limit)")] + (before.map { [("before", "\($0)")] } ?? [])
            let data = try await client.call(.get, BrokerClient.apiPath("admin", "audit") + BrokerClient.query(query))
            if json { return try Output.apiJSON(data) }
            entries = try BrokerClient.decode(Remote.AuditPage.self, from: data).events
        } else {
            entries = try await options.components().broker.audit.events(before: before, limit: limit, requestedBy: nil)
            if json { return try Output.json(entries) }
        }
        if entries.isEmpty { return print(before == nil ? "The audit log is empty." : "No entries before \(before!).") }
        Output.table(
            ["ID", "WHEN", "ACTOR", "ACTION", "SUBJECT", "FROM", "RESULT", "DETAIL"],
            entries.map {
                [
                    "\($0.id)", Output.date($0.at), Output.oneLine($0.actor), $0.action.rawValue, Output.oneLine($0.subject),
                    $0.clientAddress ?? "-", $0.succeeded ? "ok" : "failed", Output.oneLine($0.detail),
                ]
            })
    }
}
