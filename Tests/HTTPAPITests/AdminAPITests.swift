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
            #expect(vms.filter { $0["session"] is NSNull }.count == 2)

            let all = try await client.call(.get, "/api/v1/sessions", token: boss)
            #expect((all.json["sessions"] as? [[String: Any]])?.count == 1)
            let id = try #require(created.json["id"] as? String)
            #expect(try await client.call(.delete, "/api/v1/sessions/\(id)", token: boss).status == .noContent)
        }
    }
}
