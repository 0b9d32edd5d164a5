import BrokerTestSupport
import Firewall
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Pools, VMs, users, sessions, hosts and the firewall through the admin API, as `saffron` drives them remotely.
@Suite struct PoolAdminAPITests {
    @Test func adminsSpreadAPoolOverHostsAndTakeThemAway() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let boss = try await client.login("boss")
            let created = try await client.call(
                .post, "/api/v1/admin/pools", token: boss,
                body: #"{"name":"lab","hosts":["test:///default","qemu+ssh://host2/system"]}"#)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.json["connect"] as? String == "test:///default")
            #expect(created.json["hosts"] as? [String] == ["test:///default", "qemu+ssh://host2/system"])
            for body in [#"{"name":"x","connect":"test:///default","hosts":["qemu:///system"]}"#, #"{"name":"x","hosts":[]}"#, #"{"name":"x"}"#] {
                let refused = try await client.call(.post, "/api/v1/admin/pools", token: boss, body: body)
                #expect(refused.status == .badRequest && errorCode(refused.json) == "bad_request", "\(body)")
            }

            let added = try await client.call(.post, "/api/v1/admin/pools/office/hosts", token: boss, body: #"{"connect":"qemu:///system"}"#)
            #expect(added.status == .ok && added.json["hosts"] as? [String] == ["test:///default", "qemu:///system"], "\(added.json)")
            let twice = try await client.call(.post, "/api/v1/admin/pools/office/hosts", token: boss, body: #"{"connect":"qemu:///system"}"#)
            #expect(twice.status == .badRequest)
            let vms = try #require(added.json["vms"] as? [[String: Any]])
            #expect(vms.allSatisfy { $0["host"] as? String == "test:///default" }, "\(vms)")

            let inUse = try await client.call(.delete, "/api/v1/admin/pools/office/hosts?connect=test%3A%2F%2F%2Fdefault", token: boss)
            #expect(inUse.status == .conflict && errorCode(inUse.json) == "host_in_use")
            let unknown = try await client.call(.delete, "/api/v1/admin/pools/office/hosts?connect=qemu%2Bssh%3A%2F%2Fhost2%2Fsystem", token: boss)
            #expect(unknown.status == .notFound && errorCode(unknown.json) == "host_not_found")
            #expect(try await client.call(.delete, "/api/v1/admin/pools/office/hosts", token: boss).status == .badRequest)
            let removed = try await client.call(.delete, "/api/v1/admin/pools/office/hosts?connect=qemu%3A%2F%2F%2Fsystem", token: boss)
            #expect(removed.status == .ok && removed.json["hosts"] as? [String] == ["test:///default"], "\(removed.json)")
        }
    }

    @Test func adminsCreateChangeFillAndDeletePools() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let boss = try await client.login("boss")
            let created = try await client.call(
                .post, "/api/v1/admin/pools", token: boss,
                body: #"{"name":"lab","connect":"test:///default","private":true,"policy":{"attachWindowSeconds":0,"spares":1}}"#)
            #expect(created.status == .created, "\(created.json)")
            #expect(created.json["name"] as? String == "lab" && created.json["access"] as? [String] == [])
            let policy = try #require(created.json["policy"] as? [String: Any])
            #expect(policy["spares"] as? Int == 1 && policy["attachWindowSeconds"] == nil, "0 turns the attach window off: \(policy)")

            let again = try await client.call(.post, "/api/v1/admin/pools", token: boss, body: #"{"name":"lab","connect":"test:///default"}"#)
            #expect(again.status == .conflict && errorCode(again.json) == "pool_exists")
            let volatile = try await client.call(
                .post, "/api/v1/admin/pools", token: boss, body: #"{"name":"v","connect":"test:///default","desktops":"volatile"}"#)
            #expect(volatile.status == .badRequest && errorCode(volatile.json) == "bad_request", "volatile needs a template")
            let badMode = try await client.call(
                .post, "/api/v1/admin/pools", token: boss, body: #"{"name":"v","connect":"test:///default","desktops":"shiny"}"#)
            #expect(badMode.status == .badRequest && errorCode(badMode.json) == "bad_request")

            let changed = try await client.call(
                .patch, "/api/v1/admin/pools/lab/policy", token: boss, body: #"{"bootLimit":3,"idleShutdownSeconds":0}"#)
            #expect(changed.status == .ok && changed.json["bootLimit"] as? Int == 3 && changed.json["spares"] as? Int == 1)
            #expect(changed.json["idleShutdownSeconds"] == nil, "0 turns idle shutdown off: \(changed.json)")
            let unknownField = try await client.call(.patch, "/api/v1/admin/pools/lab/policy", token: boss, body: #"{"sparez":1}"#)
            #expect(unknownField.status == .badRequest && errorCode(unknownField.json) == "bad_request")
            #expect(errorMessage(unknownField.json) == "Unknown field: sparez.", "\(unknownField.json)")
            let outOfRange = try await client.call(.patch, "/api/v1/admin/pools/lab/policy", token: boss, body: #"{"bootLimit":0}"#)
            #expect(outOfRange.status == .badRequest)
            #expect(try await client.call(.get, "/api/v1/admin/pools/lab", token: boss).json["policy"].flatMap { $0 as? [String: Any] }?["bootLimit"] as? Int == 3)

            // desk3 moves from office to lab.
            #expect(try await client.call(.delete, "/api/v1/admin/pools/office/vms/desk3", token: boss).status == .noContent)
            let missing = try await client.call(.delete, "/api/v1/admin/pools/office/vms/desk3", token: boss)
            #expect(missing.status == .notFound && errorCode(missing.json) == "vm_not_found")
            let added = try await client.call(.post, "/api/v1/admin/pools/lab/vms", token: boss, body: #"{"vms":["desk3"]}"#)
            #expect(added.status == .created)
            #expect((added.json["vms"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["desk3"])
            let twice = try await client.call(.post, "/api/v1/admin/pools/office/vms", token: boss, body: #"{"vms":["desk3"]}"#)
            #expect(twice.status == .conflict && errorCode(twice.json) == "vm_in_pool")

            #expect(try await client.call(.delete, "/api/v1/admin/pools/lab?discardOwned=maybe", token: boss).status == .badRequest)
            #expect(try await client.call(.delete, "/api/v1/admin/pools/lab", token: boss).status == .noContent)
            let gone = try await client.call(.get, "/api/v1/admin/pools/lab", token: boss)
            #expect(gone.status == .notFound && errorCode(gone.json) == "pool_not_found")
            let changes = try await fixture.store.auditEvents(before: nil, limit: 50).filter { $0.actor == "boss" && $0.action.rawValue != "login" }
            let actions = changes.map(\.action.rawValue)
            #expect(!changes.isEmpty && changes.allSatisfy { $0.clientAddress == "127.0.0.1" }, "admin changes say where they came from: \(changes)")
            #expect(Set(actions).isSuperset(of: ["pool_create", "pool_update", "vm_remove", "vm_add", "pool_remove"]), "\(actions)")
        }
    }

    @Test func usersAreChangedAndDeletedButTheLastAdminStays() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            try await fixture.user("dave")
            let boss = try await client.login("boss")
            let dave = try await client.login("dave")
            for (method, uri) in [(HTTPRequest.Method.patch, "/api/v1/admin/users/dave"), (.delete, "/api/v1/admin/users/boss"),
                                  (.get, "/api/v1/admin/hosts"), (.get, "/api/v1/admin/sessions"), (.post, "/api/v1/admin/pools")] {
                let denied = try await client.call(method, uri, token: dave, body: method == .get || method == .delete ? nil : "{}")
                #expect(denied.status == .forbidden && errorCode(denied.json) == "forbidden", "\(method) \(uri)")
            }
            let demote = try await client.call(.patch, "/api/v1/admin/users/boss", token: boss, body: #"{"admin":false}"#)
            #expect(demote.status == .conflict && errorCode(demote.json) == "last_admin")
            let nothing = try await client.call(.patch, "/api/v1/admin/users/dave", token: boss, body: "{}")
            #expect(nothing.status == .badRequest)

            let promoted = try await client.call(.patch, "/api/v1/admin/users/dave", token: boss, body: #"{"admin":true,"password":"new-pw"}"#)
            #expect(promoted.status == .ok && promoted.json["admin"] as? Bool == true)
            let signedOut = try await client.call(.get, "/api/v1/me", token: dave)
            #expect(signedOut.status == .unauthorized, "a new password signs dave out")
            #expect(try await fixture.accounts.login(username: "dave", password: "new-pw").user.isAdmin)

            _ = try await fixture.broker.desktop(inPool: "office", for: try #require(try await fixture.store.user(named: "dave")), clientAddress: "203.0.113.5")
            let busy = try await client.call(.delete, "/api/v1/admin/users/dave", token: boss)
            #expect(busy.status == .conflict && errorCode(busy.json) == "user_has_sessions")
            let sessions = try #require(try await client.call(.get, "/api/v1/admin/sessions", token: boss).json["sessions"] as? [[String: Any]])
            #expect(sessions.count == 1 && sessions.first?["user"] as? String == "dave" && sessions.first?["clientAddress"] as? String == "203.0.113.5")
            let id = try #require(sessions.first?["id"] as? String)
            #expect(try await client.call(.delete, "/api/v1/admin/sessions/\(id)", token: boss).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/admin/sessions/\(id)", token: boss).status == .notFound)
            #expect(try await client.call(.delete, "/api/v1/admin/users/dave", token: boss).status == .noContent)
            let users = try #require(try await client.call(.get, "/api/v1/admin/users", token: boss).json["users"] as? [[String: Any]])
            #expect(users.compactMap { $0["name"] as? String }.contains("boss") && !users.contains { $0["name"] as? String == "dave" })
            #expect(try await client.call(.delete, "/api/v1/admin/users/dave", token: boss).status == .notFound)
        }
    }

    @Test func hostsAndFirewallReportWhatRuns() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let boss = try await client.login("boss")
            _ = try await fixture.broker.desktop(inPool: "office", for: try await fixture.user("erin"), clientAddress: "203.0.113.7")
            let hosts = try #require(try await client.call(.get, "/api/v1/admin/hosts", token: boss).json["hosts"] as? [[String: Any]])
            #expect(hosts.count == 1, "\(hosts)")
            #expect(hosts.first?["connect"] as? String == "test:///default" && hosts.first?["pools"] as? [String] == ["office"])
            #expect(hosts.first?["reachable"] as? Bool == true && hosts.first?["poolVMs"] as? Int == 3)
            #expect(hosts.first?["poolVMsRunning"] as? Int == 1, "erin's desktop runs: \(hosts)")
            let gpus = try await client.call(.get, "/api/v1/admin/hosts/gpus?connect=test%3A%2F%2F%2Fdefault", token: boss)
            #expect(gpus.status == .ok && gpus.json["boards"] is [Any], "the pool's host: \(gpus.json)")
            let elsewhere = try await client.call(.get, "/api/v1/admin/hosts/gpus?connect=qemu%2Bssh%3A%2F%2Fsomewhere%2Fsystem", token: boss)
            #expect(elsewhere.status == .notFound && errorCode(elsewhere.json) == "host_not_found", "no pool lives there")
            #expect(try await client.call(.get, "/api/v1/admin/hosts/gpus", token: boss).status == .badRequest)
            let orphan = ForwardRule(
                sessionID: "gone", clientAddress: "203.0.113.99", publicAddress: "198.51.100.1", publicPort: 20009,
                targetAddress: "192.0.2.10", targetPort: 5999)
            await fixture.forwarder.insertOrphan(orphan)
            let reconciled = try await client.call(.post, "/api/v1/admin/firewall/reconcile", token: boss)
            #expect(reconciled.status == .ok && reconciled.json["rebuilt"] as? Bool == true, "\(reconciled.json)")
            #expect(await !fixture.forwarder.rules.contains(orphan), "the orphan rule is gone")
            let again = try await client.call(.post, "/api/v1/admin/firewall/reconcile", token: boss)
            #expect(again.json["rebuilt"] as? Bool == false, "in step now: \(again.json)")
            let firewall = try await client.call(.get, "/api/v1/admin/firewall", token: boss).json
            #expect(firewall["ready"] as? Bool == true && firewall["forwarded"] as? Int == 1 && firewall["liveSessions"] as? Int == 1, "\(firewall)")
        }
    }
}
