import Foundation
import Logging
import PostgresNIO
import Store

/// The PostgreSQL schema, as a list of migrations applied in order and never edited once released.
///
/// The first migration creates the schema that SQLite reaches at its migration v14; from then on both backends get
/// each migration under the same identifier. Brokers starting at once take turns on an advisory lock, so each
/// migration runs exactly once.
enum PostgresMigrations {
    /// The advisory lock key brokers hold while migrating ("saffron" in ASCII).
    static let lockKey: Int64 = 0x73_61_66_66_72_6f_6e

    static let all: [(identifier: String, sql: [String])] = [
        ("v1-v14: users, tokens, pools, vms, sessions, audit, groups and grants", baseline),
        (
            SchemaMigrations.loginFailures,
            [
                """
                CREATE TABLE login_failures (
                    key TEXT PRIMARY KEY,
                    failures BIGINT NOT NULL,
                    last_at TIMESTAMPTZ NOT NULL,
                    blocked_until TIMESTAMPTZ NOT NULL
                )
                """
            ]
        ),
        (
            SchemaMigrations.upkeepLeases,
            [
                """
                CREATE TABLE upkeep_leases (
                    pool_name TEXT PRIMARY KEY REFERENCES pools(name) ON DELETE CASCADE,
                    holder TEXT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL
                )
                """
            ]
        ),
        (
            SchemaMigrations.nodes,
            [
                """
                CREATE TABLE nodes (
                    name TEXT PRIMARY KEY,
                    public_address TEXT NOT NULL,
                    port_range TEXT NOT NULL,
                    started_at TIMESTAMPTZ NOT NULL,
                    last_seen TIMESTAMPTZ NOT NULL
                )
                """
            ]
        ),
        (
            SchemaMigrations.sessionGrants,
            [
                """
                CREATE TABLE session_grants (
                    hash TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                    user_name TEXT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL,
                    first_used_at TIMESTAMPTZ
                )
                """,
                "CREATE INDEX session_grants_by_session ON session_grants (session_id)",
            ]
        ),
        (SchemaMigrations.sessionAddresses, ["ALTER TABLE sessions ADD COLUMN public_address TEXT"]),
        (SchemaMigrations.sessionAnnouncements, sessionAnnouncements),
        (
            SchemaMigrations.poolHosts,
            [
                "ALTER TABLE pools ADD COLUMN other_connect_uris TEXT NOT NULL DEFAULT '[]'",
                "ALTER TABLE vms ADD COLUMN connect_uri TEXT",
            ]
        ),
        (SchemaMigrations.nodeRoles, ["ALTER TABLE nodes ADD COLUMN roles TEXT NOT NULL DEFAULT '[]'"]),
        (
            SchemaMigrations.portsPerAddress,
            [
                "ALTER TABLE sessions DROP CONSTRAINT sessions_public_port_key",
                "CREATE UNIQUE INDEX sessions_port_per_address ON sessions (COALESCE(public_address, ''), public_port)",
            ]
        ),
        (
            SchemaMigrations.vmHolds,
            [
                """
                CREATE TABLE vm_holds (
                    pool_name TEXT NOT NULL,
                    vm_name TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    expires_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (pool_name, vm_name)
                )
                """
            ]
        ),
    ]

    /// A trigger that announces, on channel `PostgresStore.sessionChannel` and at commit, every session added or
    /// ended and every change of what forwarding depends on (state, addresses, SPICE endpoint): the session's
    /// fields as `SessionChange` decodes them, and the `application_name` of the connection that made the change.
    private static let sessionAnnouncements = [
        """
        CREATE FUNCTION saffron_announce_session_change() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed sessions;
        BEGIN
            IF TG_OP = 'DELETE' THEN
                changed := OLD;
            ELSE
                changed := NEW;
            END IF;
            IF TG_OP = 'UPDATE' AND (OLD.state, OLD.client_address, OLD.public_address, OLD.target_address,
                    OLD.target_port, OLD.target_tls_port)
                IS NOT DISTINCT FROM (NEW.state, NEW.client_address, NEW.public_address, NEW.target_address,
                    NEW.target_port, NEW.target_tls_port) THEN
                RETURN NULL;
            END IF;
            PERFORM pg_notify('\(PostgresStore.sessionChannel)', json_build_object(
                'kind', CASE TG_OP WHEN 'INSERT' THEN 'added' WHEN 'UPDATE' THEN 'updated' ELSE 'ended' END,
                'origin', current_setting('application_name', true),
                'formerClientAddress', CASE WHEN TG_OP = 'UPDATE' AND OLD.client_address IS DISTINCT FROM
                    NEW.client_address THEN OLD.client_address END,
                'session', json_build_object(
                    'id', changed.id, 'user', changed.user_name, 'pool', changed.pool_name, 'vm', changed.vm_name,
                    'publicPort', changed.public_port, 'publicAddress', changed.public_address,
                    'clientAddress', changed.client_address, 'state', changed.state,
                    'targetAddress', changed.target_address, 'targetPort', changed.target_port,
                    'targetTLSPort', changed.target_tls_port, 'route', changed.route,
                    'createdAt', extract(epoch FROM changed.created_at)))::text);
            RETURN NULL;
        END
        $$
        """,
        """
        CREATE TRIGGER sessions_announce AFTER INSERT OR UPDATE OR DELETE ON sessions
            FOR EACH ROW EXECUTE FUNCTION saffron_announce_session_change()
        """,
    ]

    /// Applies the migrations this database lacks, each in its own transaction, under the advisory lock, on a
    /// connection of its own (so that a database that cannot be reached fails at once, saying why).
    static func migrate(_ location: PostgresLocation, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: try location.connectionConfiguration,
                id: 0, logger: logger
            ).get()
        } catch {
            throw PostgresStoreError.unreachable(location.description, reason: PostgresStoreError.reason(of: error))
        }
        defer { Task { try? await connection.close() } }
        try await PostgresStoreError.readable {
            try await connection.run("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await apply(on: connection, logger: logger)
                try await connection.run("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            } catch {
                _ = try? await connection.run("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
        }
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(
            """
            CREATE TABLE IF NOT EXISTS saffron_migrations (
                identifier TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, logger: logger)
        let applied = Set(try await connection.values(String.self, "SELECT identifier FROM saffron_migrations", logger: logger))
        let known = Set(all.map(\.identifier))
        if let newer = applied.subtracting(known).sorted().first {
            throw PostgresStoreError.newerSchema(migration: newer)
        }
        for migration in all where !applied.contains(migration.identifier) {
            try await connection.run("BEGIN", logger: logger)
            do {
                for statement in migration.sql {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.run(
                    "INSERT INTO saffron_migrations (identifier) VALUES (\(migration.identifier))", logger: logger)
                try await connection.run("COMMIT", logger: logger)
                logger.info("Database migrated", metadata: ["migration": "\(migration.identifier)"])
            } catch {
                _ = try? await connection.run("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// The schema of SQLite's migrations v1 to v14, in PostgreSQL's types.
    private static let baseline = [
        """
        CREATE TABLE users (
            name TEXT PRIMARY KEY,
            password_hash TEXT NOT NULL,
            is_admin BOOLEAN NOT NULL DEFAULT false,
            is_auditor BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE tokens (
            hash TEXT PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            expires_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE pools (
            name TEXT PRIMARY KEY,
            connect_uri TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            desktop_mode TEXT NOT NULL DEFAULT 'pooled',
            template_xml TEXT,
            base_image TEXT,
            storage_pool TEXT,
            max_vms BIGINT,
            spares BIGINT NOT NULL DEFAULT 0,
            boot_limit BIGINT NOT NULL DEFAULT 2,
            spare_linger_seconds BIGINT NOT NULL DEFAULT 600,
            attach_window_seconds BIGINT DEFAULT 300,
            disconnect_grace_seconds BIGINT DEFAULT 900,
            idle_shutdown_seconds BIGINT DEFAULT 3600,
            ticket_validity_seconds BIGINT,
            gpu_mode TEXT,
            gpu_mdev_type TEXT,
            hide_hypervisor BOOLEAN NOT NULL DEFAULT false,
            hyperv_vendor_id TEXT,
            max_sessions_per_user BIGINT NOT NULL DEFAULT 1,
            console_route TEXT NOT NULL DEFAULT 'direct'
        )
        """,
        """
        CREATE TABLE vms (
            name TEXT NOT NULL UNIQUE,
            pool_name TEXT NOT NULL REFERENCES pools(name) ON DELETE CASCADE,
            added_at TIMESTAMPTZ NOT NULL,
            assigned_user TEXT REFERENCES users(name) ON DELETE SET NULL,
            provisioned BOOLEAN NOT NULL DEFAULT true,
            needs_reset BOOLEAN NOT NULL DEFAULT false,
            broken_reason TEXT,
            PRIMARY KEY (pool_name, name)
        )
        """,
        "CREATE UNIQUE INDEX vms_assignment ON vms (pool_name, assigned_user) WHERE assigned_user IS NOT NULL",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES users(name),
            pool_name TEXT NOT NULL,
            vm_name TEXT NOT NULL,
            public_port BIGINT NOT NULL UNIQUE,
            client_address TEXT NOT NULL,
            state TEXT NOT NULL,
            target_address TEXT,
            target_port BIGINT,
            target_tls_port BIGINT,
            route TEXT NOT NULL DEFAULT 'direct',
            created_at TIMESTAMPTZ NOT NULL,
            UNIQUE (pool_name, vm_name),
            FOREIGN KEY (pool_name, vm_name) REFERENCES vms(pool_name, name)
        )
        """,
        "CREATE INDEX sessions_by_user ON sessions (pool_name, user_name)",
        "CREATE INDEX sessions_by_target ON sessions (target_address)",
        """
        CREATE TABLE audit_events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            client_address TEXT,
            succeeded BOOLEAN NOT NULL,
            detail TEXT NOT NULL
        )
        """,
        "CREATE INDEX audit_events_by_subject ON audit_events (subject, action)",
        "CREATE TABLE groups (name TEXT PRIMARY KEY, created_at TIMESTAMPTZ NOT NULL)",
        """
        CREATE TABLE group_members (
            group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            PRIMARY KEY (group_name, user_name)
        )
        """,
        """
        CREATE TABLE pool_grants (
            pool_name TEXT NOT NULL REFERENCES pools(name) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('everyone', 'user', 'group')),
            principal TEXT NOT NULL,
            PRIMARY KEY (pool_name, kind, principal)
        )
        """,
        """
        CREATE TABLE user_directory_groups (
            user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            group_name TEXT NOT NULL,
            PRIMARY KEY (user_name, group_name)
        )
        """,
    ]
}

