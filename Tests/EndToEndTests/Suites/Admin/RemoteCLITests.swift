import Foundation
import Testing

extension EndToEnd {
    /// An admin on another machine (the client namespace) drives the serving broker with `saffron --server`.
    @Suite struct RemoteCLI {
        static let admin = "remote-boss"

        /// `saffron` in the client namespace with its own home (where `login` keeps the token); no `--config`.
        struct RemoteSaffron {
            let home = Scratch.file("remote-home")

            func run(_ arguments: [String], input: String? = nil, server: Bool = true) throws -> CommandResult {
                try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
                return try Command.run(
                    Topology.inClient(
                        ["env", "HOME=\(home.path)", "XDG_CONFIG_HOME=", E2E.binary] + arguments
                            + (server ? ["--server", API.base] : [])),
                    input: input.map { Data($0.utf8) }, timeout: 120)
            }

            func check(_ arguments: [String], input: String? = nil) throws -> String {
                let result = try run(arguments, input: input)
                guard result.status == 0 else { throw CommandError(description: result.summary) }
                return result.output
            }
        }

        @Test("an admin logs in from another machine, manages pools, users and groups, ends a session, and it is all audited")
        func remoteAdministration() throws {
            try BrokerFixture.run("remote-cli", extraConfig: EndToEnd.MultiHostPool.allowedURIs) { broker in
                try broker.cli(["user", "add", Self.admin, "--admin"], input: TestUsers.password(Self.admin) + "\n")
                let remote = RemoteSaffron()

                let unlogged = try remote.run(["pool", "list"])
                #expect(unlogged.status != 0 && unlogged.errorOutput.contains("saffron login"), "\(unlogged.summary)")
                let wrong = try remote.run(["login", "--user", Self.admin], input: "not-the-password\n")
                #expect(wrong.status != 0 && wrong.errorOutput.contains("invalid_credentials"), "\(wrong.summary)")
                let login = try remote.check(["login", "--user", Self.admin], input: TestUsers.password(Self.admin) + "\n")
                #expect(login.contains("Logged in to \(API.base) as \(Self.admin)"), "\(login)")
                let saved = try String(contentsOf: remote.home.appendingPathComponent(".config/saffron/logins.json"), encoding: .utf8)
                #expect(!saved.contains(TestUsers.password(Self.admin)), "the password must not be kept")
                let mode = try FileManager.default.attributesOfItem(
                    atPath: remote.home.appendingPathComponent(".config/saffron/logins.json").path)[.posixPermissions] as? Int
                #expect(mode == 0o600, "logins.json mode \(String(mode ?? 0, radix: 8))")

                let pools = try remote.check(["pool", "list"])
                #expect(pools.contains(BrokerFixture.pool) && pools.contains("POOL"), "\(pools)")
                let hosts = try remote.check(["host", "list"])
                #expect(hosts.contains("qemu:///system") && hosts.contains("up"), "\(hosts)")
                let gpus = try remote.check(["gpu", "list", "--connect", "qemu:///system"])
                #expect(gpus.contains("No GPUs") || gpus.contains("BOARD"), "\(gpus)")
                let farGPUs = try remote.run(["gpu", "list", "--connect", "qemu+ssh://elsewhere/system"])
                #expect(farGPUs.status != 0 && farGPUs.errorOutput.contains("host_not_found"), "\(farGPUs.summary)")
                let firewall = try remote.check(["firewall", "status"])
                #expect(firewall.contains("ready"), "\(firewall)")
                let reconciled = try remote.check(["firewall", "reconcile"])
                #expect(reconciled.contains("in step"), "\(reconciled)")

                // Pools, policy, users, groups and grants, all through the admin API.
                let created = try remote.check(["pool", "create", "lab", "--connect", "qemu:///system", "--private", "--spares", "0"])
                #expect(created.contains("Created pool lab"), "\(created)")
                let changed = try remote.check(["pool", "set", "lab", "--attach-window", "off", "--boot-limit", "3"])
                #expect(changed.contains("attach window off") && changed.contains("boot limit 3"), "\(changed)")
                _ = try remote.check(["user", "add", "carol"], input: "carol-pw-1\n")
                _ = try remote.check(["group", "create", "staff"])
                _ = try remote.check(["group", "add", "staff", "carol"])
                _ = try remote.check(["pool", "grant", "lab", "--group", "staff"])
                let labJSON = try remote.run(["pool", "list", "--json"]).stdout
                let lab = (try JSONSerialization.jsonObject(with: labJSON) as? [String: Any])?["pools"] as? [[String: Any]]
                #expect(lab?.first { $0["name"] as? String == "lab" }?["access"] as? [String] == ["group:staff"], "\(lab ?? [])")
                // A second host, its URI with a `+` that must reach the API as one.
                let farHost = "qemu+tcp://198.18.3.1/system"
                _ = try remote.check(["pool", "add-host", "lab", farHost])
                let spread = try remote.check(["pool", "list"])
                #expect(spread.contains(farHost), "\(spread)")
                _ = try remote.check(["pool", "remove-host", "lab", farHost])
                #expect(try !remote.check(["pool", "list"]).contains(farHost))
                let users = try remote.check(["user", "list"])
                #expect(users.contains("carol"), "\(users)")
                let lastAdmin = try remote.run(["user", "remove", Self.admin])
                #expect(lastAdmin.status == 1 && lastAdmin.errorOutput.contains("last_admin"), "a conflict: 1, \(lastAdmin.summary)")
                _ = try remote.check(["user", "set", "carol", "--admin"])
                let carolLogin = try API.request("POST", "/api/v1/login", body: try API.json(["username": "carol", "password": "carol-pw-1"]))
                #expect(carolLogin.status == 200, "\(carolLogin)")
                let carolMe = try API.request("GET", "/api/v1/me", token: carolLogin.json()?["token"] as? String)
                #expect(carolMe.json()?["admin"] as? Bool == true, "\(carolMe)")

                let missing = try remote.run(["pool", "delete", "no-such-pool"])
                #expect(missing.status == 66 && missing.errorOutput.contains("pool_not_found"), "not found: 66, \(missing.summary)")

                // A user's live session, seen and ended from afar.
                let token = try API.login(TestUsers.alice)
                let session = try #require(try API.requestDesktop(BrokerFixture.pool, token: token).1)
                let listed = try remote.check(["session", "list"])
                #expect(listed.contains(session.id) && listed.contains(TestUsers.alice) && listed.contains(Topology.clientAddress), "\(listed)")
                _ = try remote.check(["session", "end", session.id])
                #expect(try broker.sessionIDs().isEmpty)
                #expect(try Topology.dnatRule(session: session.id) == nil)

                _ = try remote.check(["user", "remove", "carol"])
                _ = try remote.check(["pool", "delete", "lab"])
                let audit = try remote.check(["audit", "--limit", "40"])
                for action in ["pool_create", "pool_update", "user_add", "group_create", "pool_grant", "user_update", "session_end", "user_remove", "pool_remove"] {
                    #expect(audit.contains(action), "\(action) missing from the audit log:\n\(audit)")
                }
                #expect(audit.contains(Self.admin), "\(audit)")

                let logout = try remote.check(["logout"])
                #expect(logout.contains("Logged out"), "\(logout)")
                let after = try remote.run(["pool", "list"])
                #expect(after.status != 0 && after.errorOutput.contains("saffron login"), "\(after.summary)")
            }
        }
    }
}
