import Foundation
import GRDB

extension SQLiteStore {
    public func recordNode(_ node: NodeRecord) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO nodes (name, public_address, port_range, started_at, last_seen, roles)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    node.name, node.publicAddress, node.portRange, node.startedAt, node.lastSeen, StringListColumn.column(node.roles),
                ])
        }
    }

    public func nodes() async throws -> [NodeRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM nodes ORDER BY name").map { row in
                NodeRecord(
                    name: row["name"], publicAddress: row["public_address"], portRange: row["port_range"],
                    startedAt: row["started_at"], lastSeen: row["last_seen"], roles: StringListColumn.strings(inColumn: row["roles"]))
            }
        }
    }
}
