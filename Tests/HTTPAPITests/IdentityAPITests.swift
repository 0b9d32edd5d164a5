import BrokerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Users, groups and grants through the admin API, and what a user then sees.
@Suite struct IdentityAPITests {
    @Test func adminsManageUsersGroupsAndGrantsOthersGet403() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            try await fixture.broker.createPool(name: "lab", connectURI: "test:///default", access: [])
            let alice = try await client.login("alice")
            for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/admin/users"), (.post, "/api/v1/admin/groups"), (.put, "/api/v1/admin/pools/lab/grants/everyone")] {
                let denied = try await client.call(method, uri, token: alice, body: method == .post ? #"{"name":"x"}"# : nil)
                #expect(denied.status == .forbidden && errorCode(denied.json) == "forbidden", "\(method) \(uri)")
            }

            let boss = try await client.login("boss")
            let made = try await client.call(.post, "/api/v1/admin/users", token: boss, body: #"{"name":"dave","password":"pw-dave"}"#)
            #expect(made.status == .created && made.json["name"] as? String == "dave" && made.json["admin"] as? Bool == false)
            let again = try await client.call(.post, "/api/v1/admin/users", token: boss, body: #"{"name":"dave","password":"x"}"#)
            #expect(again.status == .conflict && errorCode(again.json) == "user_exists")
            let users = try #require(try await client.call(.get, "/api/v1/admin/users", token: boss).json["users"] as? [[String: Any]])
            #expect(users.first { $0["name"] as? String == "dave" }?["local"] as? Bool == true)

            #expect(try await client.call(.post, "/api/v1/admin/groups", token: boss, body: #"{"name":"staff"}"#).status == .created)
            #expect(try await client.call(.put, "/api/v1/admin/groups/staff/members/dave", token: boss).status == .noContent)
            let groups = try #require(try await client.call(.get, "/api/v1/admin/groups", token: boss).json["groups"] as? [[String: Any]])
            #expect(groups.first?["members"] as? [String] == ["dave"])

            let dave = try await client.login("dave")
            func davesPools() async throws -> [String] {
                let pools = try await client.call(.get, "/api/v1/pools", token: dave).json["pools"] as? [[String: Any]] ?? []
                return pools.compactMap { $0["name"] as? String }
            }
            #expect(try await davesPools() == ["office"])
            #expect(try await client.call(.put, "/api/v1/admin/pools/lab/grants/groups/staff", token: boss).status == .noContent)
            #expect(try await davesPools() == ["lab", "office"])
            #expect(try await client.call(.delete, "/api/v1/admin/pools/lab/grants/groups/staff", token: boss).status == .noContent)
            #expect(try await davesPools() == ["office"])
            let gone = try await client.call(.delete, "/api/v1/admin/pools/lab/grants/groups/staff", token: boss)
            #expect(gone.status == .notFound && errorCode(gone.json) == "grant_not_found")
            let nobody = try await client.call(.put, "/api/v1/admin/pools/lab/grants/users/zed", token: boss)
            #expect(nobody.status == .notFound && errorCode(nobody.json) == "user_not_found")
            #expect(try await client.call(.put, "/api/v1/admin/pools/lab/grants/users/dave", token: boss).status == .noContent)
            #expect(try await davesPools() == ["lab", "office"])
            #expect(try await client.call(.delete, "/api/v1/admin/groups/staff", token: boss).status == .noContent)
            #expect(try await client.call(.delete, "/api/v1/admin/groups/staff", token: boss).status == .notFound)
        }
    }
}
