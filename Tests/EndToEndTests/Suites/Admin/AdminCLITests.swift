import Foundation
import Testing

extension EndToEnd {
    /// What an admin does on the broker host with the `saffron` command while the broker serves.
    @Suite struct AdminCLI {
        @Test("saffron session end frees the VM and the port, removes the rule and revokes the ticket")
        func sessionEnd() throws {
            try BrokerFixture.run("admin-end") { broker in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                let ticket = try API.consoleTicket(session.id, token: token)
                #expect(try broker.sessionIDs() == [session.id])
                let listed = try broker.cli(["session", "list"]).output
                #expect(listed.contains(session.id) && listed.contains(TestUsers.alice), "\(listed)")

                // The serving broker's Prometheus metrics: the handout, the live session, the real firewall change.
                let metrics = try API.request("GET", "/metrics")
                let lines = Set(metrics.text.split(separator: "\n").map(String.init))
                #expect(metrics.status == 200, "\(metrics)")
                for expected in [
                    #"saffron_handouts_total{pool="\#(BrokerFixture.pool)",outcome="ok"} 1"#,
                    #"saffron_sessions{state="ready"} 1.0"#,
                    #"saffron_firewall_apply_seconds_count{operation="install",outcome="ok"} 1"#,
                ] {
                    #expect(lines.contains(expected), "missing \(expected) in \(metrics.text)")
                }

                let ended = try broker.cli(["session", "end", session.id]).output
                #expect(ended.contains(session.id))
                #expect(try broker.sessionIDs().isEmpty)
                #expect(try Topology.dnatRule(session: session.id) == nil)
                let pools = try broker.pools()
                #expect(pools.first?["freeVMs"] as? Int == 3, "\(pools)")
                let spicePort = try TestVMs.spicePort(session.vm)
                #expect(
                    try SpiceLinkProbe.link(host: Topology.hypervisorAddress, port: spicePort, ticket: ticket, from: Topology.gateway)
                        == .permissionDenied, "an ended session's ticket must not open the VM")

                let again = try Command.run(Topology.inGateway([E2E.binary, "session", "end", session.id, "--config", broker.config.path]))
                #expect(again.status != 0)
                #expect(again.errorOutput.contains(session.id), "\(again.errorOutput)")

                // The audit log has it all, from the serving broker and the CLI alike, and never the ticket.
                let audit = try broker.cli(["audit", "--json"])
                let events = (try JSONSerialization.jsonObject(with: audit.stdout) as? [String: Any])?["events"] as? [[String: Any]] ?? []
                let about = events.filter { $0["subject"] as? String == session.id }
                #expect(about.map { $0["action"] as? String } == ["session_end", "handout"], "\(audit.output)")
                #expect(about.first?["actor"] as? String == "cli", "\(about)")
                #expect(about.last?["actor"] as? String == TestUsers.alice, "\(about)")
                #expect(about.last?["clientAddress"] as? String == Topology.clientAddress, "\(about)")
                #expect(events.contains { $0["action"] as? String == "login" && $0["actor"] as? String == TestUsers.alice })
                #expect(!audit.output.contains(ticket), "the audit log shows a SPICE ticket")
                let table = try broker.cli(["audit", "--limit", "3"]).output
                #expect(table.hasPrefix("ID") && table.contains("session_end") && table.contains("ended by admin cli"), "\(table)")
            }
        }

        @Test("a private pool is for admins until granted to a group of alice's; the CLI manages groups and grants")
        func privatePoolAndGroups() throws {
            try BrokerFixture.run("admin-grants") { broker in
                try broker.cli(["pool", "create", "hidden", "--connect", TestVMs.connectURI, "--private"])
                let token = try API.login(TestUsers.alice)
                let before = try API.request("GET", "/api/v1/pools", token: token)
                #expect(before.status == 200 && !before.text.contains("\"hidden\""), "\(before.text)")
                let refused = try API.request("POST", "/api/v1/pools/hidden/desktop", token: token)
                #expect(refused.status == 403 && refused.errorCode == "not_entitled", "\(refused)")

                try broker.cli(["group", "create", "staff"])
                try broker.cli(["group", "add", "staff", TestUsers.alice])
                try broker.cli(["pool", "grant", "hidden", "--group", "staff"])
                let after = try API.request("GET", "/api/v1/pools", token: token)
                #expect(after.text.contains("\"hidden\""), "\(after.text)")
                let groups = try broker.cli(["group", "list"]).output
                #expect(groups.contains("staff") && groups.contains(TestUsers.alice), "\(groups)")
                let pools = try broker.pools()
                #expect(pools.first { $0["name"] as? String == "hidden" }?["access"] as? [String] == ["group:staff"])
                #expect(pools.first { $0["name"] as? String == BrokerFixture.pool }?["access"] as? [String] == ["everyone"])

                let missing = try Command.run(
                    Topology.inGateway([E2E.binary, "pool", "grant", "hidden", "--group", "nobody", "--config", broker.config.path]))
                #expect(missing.status == 66 && missing.errorOutput.contains("nobody"), "not found: 66, \(missing.summary)")
                try broker.cli(["pool", "revoke", "hidden", "--group", "staff"])
                #expect(!(try API.request("GET", "/api/v1/pools", token: token).text.contains("\"hidden\"")))
                try broker.cli(["pool", "delete", "hidden"])
            }
        }

        @Test("pool add-vm refuses a domain already running with SPICE ticketing off")
        func addVMRefusesOpenSpice() throws {
            try BrokerFixture.run("admin-open-vm") { broker in
                let name = "saf-e2e-open"
                let file = Scratch.file("\(name).xml")
                try TestVMs.domainXML(name: name, locked: false).write(to: file, atomically: true, encoding: .utf8)
                defer {
                    _ = try? Command.run(TestVMs.virsh(["destroy", name]))
                    _ = try? Command.run(TestVMs.virsh(["undefine", name]))
                }
                try Command.check(TestVMs.virsh(["define", file.path]))
                try TestVMs.start(name)
                let refused = try Command.run(
                    Topology.inGateway([E2E.binary, "pool", "add-vm", BrokerFixture.pool, name, "--config", broker.config.path]))
                #expect(refused.status != 0)
                #expect(refused.errorOutput.contains("ticketing off"), "\(refused.errorOutput)")
                let pools = try broker.pools()
                #expect((pools.first?["vms"] as? [Any])?.count == 3, "\(pools)")
            }
        }
    }
}
