import GRDB

/// The schema, as a list of migrations applied in order and never edited once released.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: users, tokens, pools, vms, sessions") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    name TEXT PRIMARY KEY NOT NULL,
                    password_hash TEXT NOT NULL,
                    is_admin BOOLEAN NOT NULL DEFAULT 0,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE tokens (
                    hash TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                    expires_at DATETIME NOT NULL
                );
                CREATE TABLE pools (
                    name TEXT PRIMARY KEY NOT NULL,
                    connect_uri TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE vms (
                    name TEXT NOT NULL,
                    pool_name TEXT NOT NULL REFERENCES pools(name) ON DELETE CASCADE,
                    added_at DATETIME NOT NULL,
                    PRIMARY KEY (pool_name, name)
                );
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name),
                    pool_name TEXT NOT NULL,
                    vm_name TEXT NOT NULL,
                    public_port INTEGER NOT NULL UNIQUE,
                    client_address TEXT NOT NULL,
                    state TEXT NOT NULL,
                    target_address TEXT,
                    target_port INTEGER,
                    created_at DATETIME NOT NULL,
                    UNIQUE (pool_name, vm_name),
                    UNIQUE (pool_name, user_name),
                    FOREIGN KEY (pool_name, vm_name) REFERENCES vms(pool_name, name)
                );
                """)
        }
        migrator.registerMigration("v2: pool modes and templates, VM assignment, reset and health") { db in
            try db.execute(sql: """
                ALTER TABLE pools ADD COLUMN desktop_mode TEXT NOT NULL DEFAULT 'pooled';
                ALTER TABLE pools ADD COLUMN template_xml TEXT;
                ALTER TABLE pools ADD COLUMN base_image TEXT;
                ALTER TABLE pools ADD COLUMN storage_pool TEXT;
                ALTER TABLE pools ADD COLUMN max_vms INTEGER;
                ALTER TABLE vms ADD COLUMN assigned_user TEXT REFERENCES users(name) ON DELETE SET NULL;
                ALTER TABLE vms ADD COLUMN provisioned BOOLEAN NOT NULL DEFAULT 1;
                ALTER TABLE vms ADD COLUMN needs_reset BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE vms ADD COLUMN broken_reason TEXT;
                CREATE UNIQUE INDEX vms_assignment ON vms (pool_name, assigned_user) WHERE assigned_user IS NOT NULL;
                """)
        }
        migrator.registerMigration("v3: pool policies (spares, boot limit, reclaim windows, ticket validity)") { db in
            try db.execute(sql: """
                ALTER TABLE pools ADD COLUMN spares INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE pools ADD COLUMN boot_limit INTEGER NOT NULL DEFAULT 2;
                ALTER TABLE pools ADD COLUMN spare_linger_seconds INTEGER NOT NULL DEFAULT 600;
                ALTER TABLE pools ADD COLUMN attach_window_seconds INTEGER DEFAULT 300;
                ALTER TABLE pools ADD COLUMN disconnect_grace_seconds INTEGER DEFAULT 900;
                ALTER TABLE pools ADD COLUMN idle_shutdown_seconds INTEGER DEFAULT 3600;
                ALTER TABLE pools ADD COLUMN ticket_validity_seconds INTEGER;
                """)
        }
        migrator.registerMigration("v4: template pools' GPU request and hypervisor hiding") { db in
            try db.execute(sql: """
                ALTER TABLE pools ADD COLUMN gpu_mode TEXT;
                ALTER TABLE pools ADD COLUMN gpu_mdev_type TEXT;
                ALTER TABLE pools ADD COLUMN hide_hypervisor BOOLEAN NOT NULL DEFAULT 0;
                ALTER TABLE pools ADD COLUMN hyperv_vendor_id TEXT;
                """)
        }
        migrator.registerMigration("v5: several desktops per user in a pool, up to the pool's limit") { db in
            // SQLite cannot drop a table constraint: the sessions table is copied without UNIQUE (pool, user).
            try db.execute(sql: """
                ALTER TABLE pools ADD COLUMN max_sessions_per_user INTEGER NOT NULL DEFAULT 1;
                CREATE TABLE sessions_v5 (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name),
                    pool_name TEXT NOT NULL,
                    vm_name TEXT NOT NULL,
                    public_port INTEGER NOT NULL UNIQUE,
                    client_address TEXT NOT NULL,
                    state TEXT NOT NULL,
                    target_address TEXT,
                    target_port INTEGER,
                    created_at DATETIME NOT NULL,
                    UNIQUE (pool_name, vm_name),
                    FOREIGN KEY (pool_name, vm_name) REFERENCES vms(pool_name, name)
                );
                INSERT INTO sessions_v5 (id, user_name, pool_name, vm_name, public_port, client_address, state,
                    target_address, target_port, created_at)
                SELECT id, user_name, pool_name, vm_name, public_port, client_address, state, target_address,
                    target_port, created_at FROM sessions;
                DROP TABLE sessions;
                ALTER TABLE sessions_v5 RENAME TO sessions;
                CREATE INDEX sessions_by_user ON sessions (pool_name, user_name);
                """)
        }
        migrator.registerMigration("v6: a pool's console route (direct or through the CONNECT proxy)") { db in
            try db.execute(sql: "ALTER TABLE pools ADD COLUMN console_route TEXT NOT NULL DEFAULT 'direct'")
        }
        migrator.registerMigration("v7: the SPICE TLS port of a session's VM") { db in
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN target_tls_port INTEGER")
        }
        migrator.registerMigration("v8: sessions reached through the CONNECT proxy only") { db in
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN route TEXT NOT NULL DEFAULT 'direct'")
        }
        migrator.registerMigration("v9: the audit log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at DATETIME NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        client_address TEXT,
                        succeeded BOOLEAN NOT NULL,
                        detail TEXT NOT NULL
                    )
                    """)
        }
        migrator.registerMigration("v10: groups and pool grants (existing pools granted to everyone)") { db in
            try db.execute(
                sql: """
                    CREATE TABLE groups (name TEXT PRIMARY KEY, created_at DATETIME NOT NULL);
                    CREATE TABLE group_members (
                        group_name TEXT NOT NULL REFERENCES groups(name) ON DELETE CASCADE,
                        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                        PRIMARY KEY (group_name, user_name)
                    );
                    CREATE TABLE pool_grants (
                        pool_name TEXT NOT NULL REFERENCES pools(name) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('everyone', 'user', 'group')),
                        principal TEXT NOT NULL,
                        PRIMARY KEY (pool_name, kind, principal)
                    );
                    INSERT INTO pool_grants (pool_name, kind, principal) SELECT name, 'everyone', '' FROM pools;
                    """)
        }
        migrator.registerMigration("v11: the groups a directory puts each user in") { db in
            try db.execute(
                sql: """
                    CREATE TABLE user_directory_groups (
                        user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
                        group_name TEXT NOT NULL,
                        PRIMARY KEY (user_name, group_name)
                    )
                    """)
        }
        migrator.registerMigration("v12: auditors, who read what admins read") { db in
            try db.execute(sql: "ALTER TABLE users ADD COLUMN is_auditor BOOLEAN NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v13: sessions found by their target, for each CONNECT through the proxy") { db in
            try db.execute(sql: "CREATE INDEX sessions_by_target ON sessions (target_address)")
        }
        migrator.registerMigration("v14: audit entries found by their subject, for what a session's user is shown") { db in
            try db.execute(sql: "CREATE INDEX audit_events_by_subject ON audit_events (subject, action)")
        }
        migrator.registerMigration(SchemaMigrations.loginFailures) { db in
            try db.execute(
                sql: """
                    CREATE TABLE login_failures (
                        key TEXT PRIMARY KEY NOT NULL,
                        failures INTEGER NOT NULL,
                        last_at DATETIME NOT NULL,
                        blocked_until DATETIME NOT NULL
                    )
                    """)
        }
        migrator.registerMigration(SchemaMigrations.upkeepLeases) { db in
            try db.execute(
                sql: """
                    CREATE TABLE upkeep_leases (
                        pool_name TEXT PRIMARY KEY NOT NULL REFERENCES pools(name) ON DELETE CASCADE,
                        holder TEXT NOT NULL,
                        expires_at DATETIME NOT NULL
                    )
                    """)
        }
        migrator.registerMigration(SchemaMigrations.nodes) { db in
            try db.execute(
                sql: """
                    CREATE TABLE nodes (
                        name TEXT PRIMARY KEY NOT NULL,
                        public_address TEXT NOT NULL,
                        port_range TEXT NOT NULL,
                        started_at DATETIME NOT NULL,
                        last_seen DATETIME NOT NULL
                    )
                    """)
        }
        migrator.registerMigration(SchemaMigrations.sessionGrants) { db in
            try db.execute(
                sql: """
                    CREATE TABLE session_grants (
                        hash TEXT PRIMARY KEY NOT NULL,
                        kind TEXT NOT NULL,
                        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
                        user_name TEXT NOT NULL,
                        expires_at DATETIME NOT NULL,
                        first_used_at DATETIME
                    );
                    CREATE INDEX session_grants_by_session ON session_grants (session_id);
                    """)
        }
        migrator.registerMigration(SchemaMigrations.sessionAddresses) { db in
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN public_address TEXT")
        }
        migrator.registerMigration(SchemaMigrations.sessionAnnouncements) { _ in }
        migrator.registerMigration(SchemaMigrations.poolHosts) { db in
            try db.execute(sql: "ALTER TABLE pools ADD COLUMN other_connect_uris TEXT NOT NULL DEFAULT '[]'")
            try db.execute(sql: "ALTER TABLE vms ADD COLUMN connect_uri TEXT")
        }
        migrator.registerMigration(SchemaMigrations.nodeRoles) { db in
            try db.execute(sql: "ALTER TABLE nodes ADD COLUMN roles TEXT NOT NULL DEFAULT '[]'")
        }
        migrator.registerMigration(SchemaMigrations.portsPerAddress) { db in
            // SQLite cannot drop a column constraint: the sessions table is copied without UNIQUE (public_port).
            try db.execute(sql: """
                CREATE TABLE sessions_v23 (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_name TEXT NOT NULL REFERENCES users(name),
                    pool_name TEXT NOT NULL,
                    vm_name TEXT NOT NULL,
                    public_port INTEGER NOT NULL,
                    client_address TEXT NOT NULL,
                    state TEXT NOT NULL,
                    target_address TEXT,
                    target_port INTEGER,
                    created_at DATETIME NOT NULL,
                    target_tls_port INTEGER,
                    route TEXT NOT NULL DEFAULT 'direct',
                    public_address TEXT,
                    UNIQUE (pool_name, vm_name),
                    FOREIGN KEY (pool_name, vm_name) REFERENCES vms(pool_name, name)
                );
                INSERT INTO sessions_v23 (id, user_name, pool_name, vm_name, public_port, client_address, state,
                    target_address, target_port, created_at, target_tls_port, route, public_address)
                SELECT id, user_name, pool_name, vm_name, public_port, client_address, state, target_address,
                    target_port, created_at, target_tls_port, route, public_address FROM sessions;
                DROP TABLE sessions;
                ALTER TABLE sessions_v23 RENAME TO sessions;
                CREATE INDEX sessions_by_user ON sessions (pool_name, user_name);
                CREATE INDEX sessions_by_target ON sessions (target_address);
                CREATE UNIQUE INDEX sessions_port_per_address ON sessions (COALESCE(public_address, ''), public_port);
                """)
        }
        migrator.registerMigration(SchemaMigrations.vmHolds) { db in
            try db.execute(sql: """
                CREATE TABLE vm_holds (
                    pool_name TEXT NOT NULL,
                    vm_name TEXT NOT NULL,
                    holder TEXT NOT NULL,
                    expires_at DATETIME NOT NULL,
                    PRIMARY KEY (pool_name, vm_name)
                )
                """)
        }
        return migrator
    }
}
