import Foundation
import PostgresNIO
import Store

extension PostgresStore {
    public func recordNode(_ node: NodeRecord) async throws {
        try await statement { db, logger in
            try await db.run(
                """
                INSERT INTO nodes (name, public_address, port_range, started_at, last_seen, roles)
                VALUES (\(node.name), \(node.publicAddress), \(node.portRange), \(node.startedAt), \(node.lastSeen),
                    \(StringListColumn.column(node.roles)))
                ON CONFLICT (name) DO UPDATE SET public_address = excluded.public_address, port_range = excluded.port_range,
                    started_at = excluded.started_at, last_seen = excluded.last_seen, roles = excluded.roles
                """, logger: logger)
        }
    }

    public func nodes() async throws -> [NodeRecord] {
        try await read { db, logger in
            try await db.rows("SELECT * FROM nodes ORDER BY name", logger: logger).map { row in
                NodeRecord(
                    name: try row.get("name"), publicAddress: try row.get("public_address"), portRange: try row.get("port_range"),
                    startedAt: try row.get("started_at"), lastSeen: try row.get("last_seen"),
                    roles: StringListColumn.strings(inColumn: try row.get("roles")))
            }
        }
    }
}
