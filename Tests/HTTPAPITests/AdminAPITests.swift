import BrokerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct AdminAPITests {
    @Test func meSaysWhoIsAskingAndWhetherTheyAreAdmin() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.call(.get, "/api/v1/me", token: try await client.login("alice"))
            #expect(alice.json["name"] as? String == "alice")
            #expect(alice.json["admin"] as? Bool == false)
            let boss = try await client.call(.get, "/api/v1/me", token: try await client.login("boss"))
            #expect(boss.json["admin"] as? Bool == true)
        }
    }

    @Test func adminsSeeEveryVMAndWhoHoldsItOthersGet403() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.login("alice")
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let denied = try await client.call(.get, "/api/v1/admin/pools", token: alice)
            #expect(denied.status == .forbidden)
            #expect(errorCode(denied.json) == "forbidden")

            let boss = try await client.login("boss")
            let view = try await client.call(.get, "/api/v1/admin/pools", token: boss)
            let pools = try #require(view.json["pools"] as? [[String: Any]])
            let vms = try #require(pools.first?["vms"] as? [[String: Any]])
            #expect(vms.map { $0["name"] as? String } == ["desk1", "desk2", "desk3"])
            let held = vms.first { $0["session"] is [String: Any] }
            let holder = try #require(held?["session"] as? [String: Any])
            #expect(holder["user"] as? String == "alice")
            #expect(holder["id"] as? String == created.json["id"] as? String)
            #expect(vms.filter { $0["session"] == nil }.count == 2, "a free VM's session is left out")

            let all = try await client.call(.get, "/api/v1/sessions", token: boss)
            #expect((all.json["sessions"] as? [[String: Any]])?.count == 1)
            let id = try #require(created.json["id"] as? String)
            #expect(try await client.call(.delete, "/api/v1/sessions/\(id)", token: boss).status == .noContent)
        }
    }

    @Test func adminsSeeEachVMsStateAndRepairOrUnassignIt() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let boss = try await client.login("boss")
            try await fixture.store.markBroken(vm: "desk2", pool: "office", reason: "could not start: boom")
            try await fixture.broker.createPool(name: "mine", connectURI: "test:///default", desktopMode: .persistent)
            try await fixture.store.removeVM("desk3", fromPool: "office")
            try await fixture.broker.addVMs(["desk3"], toPool: "mine")
            let alice = try await client.login("alice")
            let desktop = try await client.call(.post, "/api/v1/pools/mine/desktop", token: alice)
            let id = try #require(desktop.json["id"] as? String)

            let view = try await client.call(.get, "/api/v1/admin/pools", token: boss)
            let pools = try #require(view.json["pools"] as? [[String: Any]])
            let mine = try #require(pools.first { $0["name"] as? String == "mine" })
            #expect(mine["desktops"] as? String == "persistent")
            #expect((mine["policy"] as? [String: Any])?["spares"] as? Int == 0)
            #expect((mine["vms"] as? [[String: Any]])?.first?["owner"] as? String == "alice")
            let office = try #require(pools.first { $0["name"] as? String == "office" })
            #expect(office["freeVMs"] as? Int == 1)
            let broken = (office["vms"] as? [[String: Any]])?.first { $0["name"] as? String == "desk2" }
            #expect(broken?["broken"] as? String == "could not start: boom")
            #expect(broken?["created"] as? Bool == true)

            let forbidden = try await client.call(.post, "/api/v1/admin/pools/office/vms/desk2/repair", token: alice)
            #expect(forbidden.status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/admin/pools/office/vms/desk2/repair", token: boss).status == .noContent)
            #expect(try await fixture.broker.vms(inPool: "office").allSatisfy { $0.brokenReason == nil })
            let unknown = try await client.call(.post, "/api/v1/admin/pools/office/vms/nope/repair", token: boss)
            #expect(unknown.status == .notFound)

            let busy = try await client.call(.post, "/api/v1/admin/pools/mine/vms/desk3/unassign", token: boss)
            #expect(busy.status == .conflict)
            #expect(errorCode(busy.json) == "vm_in_use")
            #expect(try await client.call(.delete, "/api/v1/sessions/\(id)", token: alice).status == .noContent)
            #expect(try await client.call(.post, "/api/v1/admin/pools/mine/vms/desk3/unassign", token: boss).status == .noContent)
            #expect(try await fixture.broker.vms(inPool: "mine").first?.assignedUser == nil)
        }
    }
}

@Suite struct AuditAPITests {
    @Test func adminsPageThroughTheAuditLogOthersGet403() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.login("alice")
            _ = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let denied = try await client.call(.get, "/api/v1/admin/audit", token: alice)
            #expect(denied.status == .forbidden)

            let boss = try await client.login("boss")
            let page = try await client.call(.get, "/api/v1/admin/audit?limit=2", token: boss)
            #expect(page.status == .ok)
            let events = try #require(page.json["events"] as? [[String: Any]])
            #expect(events.map { $0["action"] as? String } == ["login", "handout"])
            #expect(events[0]["actor"] as? String == "boss")
            #expect(events[1]["actor"] as? String == "alice")
            #expect(events[1]["clientAddress"] as? String == "127.0.0.1")
            let next = try #require(page.json["nextBefore"] as? Int)
            let older = try await client.call(.get, "/api/v1/admin/audit?before=\(next)&limit=1000", token: boss)
            let rest = try #require(older.json["events"] as? [[String: Any]])
            #expect(rest.first?["action"] as? String == "login")
            #expect(rest.first?["actor"] as? String == "alice")
            #expect(older.json["nextBefore"] == nil, "no next page")

            for query in ["limit=abc", "limit=0", "before=-1"] {
                let bad = try await client.call(.get, "/api/v1/admin/audit?\(query)", token: boss)
                #expect(bad.status == .badRequest, "\(query)")
                #expect(errorCode(bad.json) == "bad_request")
            }
        }
    }
}
