import BrokerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Auditors read every admin view and change nothing.
@Suite struct AuditorAPITests {
    @Test func anAuditorReadsTheAdminViewsButEveryChangeIs403() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            try await fixture.accounts.addUser(name: "iris", password: "pw-iris", isAdmin: false, isAuditor: true)
            let dave = try await fixture.user("dave")
            let session = try await fixture.broker.desktop(inPool: "office", for: dave, clientAddress: "203.0.113.9").session
            let iris = try await client.login("iris")

            let me = try await client.call(.get, "/api/v1/me", token: iris).json
            #expect(me["auditor"] as? Bool == true && me["admin"] as? Bool == false, "\(me)")
            for uri in [
                "/api/v1/admin/pools", "/api/v1/admin/pools/office", "/api/v1/admin/sessions", "/api/v1/admin/users",
                "/api/v1/admin/groups", "/api/v1/admin/audit", "/api/v1/admin/hosts", "/api/v1/admin/firewall",
                "/api/v1/admin/nodes",
            ] {
                let read = try await client.call(.get, uri, token: iris)
                #expect(read.status == .ok, "an auditor reads \(uri): \(read.status) \(read.json)")
            }
            let sessions = try await client.call(.get, "/api/v1/admin/sessions", token: iris).json["sessions"] as? [[String: Any]]
            #expect(sessions?.first?["user"] as? String == "dave", "\(sessions ?? [])")

            let changes: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/api/v1/admin/pools", #"{"name":"x","connect":"test:///default"}"#),
                (.delete, "/api/v1/admin/pools/office", nil),
                (.patch, "/api/v1/admin/pools/office/policy", #"{"spares":1}"#),
                (.delete, "/api/v1/admin/sessions/\(session.id)", nil),
                (.post, "/api/v1/admin/pools/office/vms/desk1/repair", nil),
                (.post, "/api/v1/admin/users", #"{"name":"y","password":"p"}"#),
                (.patch, "/api/v1/admin/users/iris", #"{"admin":true}"#),
                (.put, "/api/v1/admin/pools/office/grants/users/iris", nil),
            ]
            for (method, uri, body) in changes {
                let refused = try await client.call(method, uri, token: iris, body: body)
                #expect(refused.status == .forbidden && errorCode(refused.json) == "forbidden", "\(method) \(uri): \(refused.status)")
            }
            let notHers = try await client.call(.delete, "/api/v1/sessions/\(session.id)", token: iris)
            #expect(notHers.status == .notFound, "an auditor cannot end someone's session through the user route either")
            #expect(try await fixture.store.sessions().count == 1, "nothing changed")

            let boss = try await client.login("boss")
            let both = try await client.call(.patch, "/api/v1/admin/users/iris", token: boss, body: #"{"admin":true,"auditor":true}"#)
            #expect(both.status == .badRequest, "admin and auditor at once: \(both.json)")
            let promoted = try await client.call(.patch, "/api/v1/admin/users/iris", token: boss, body: #"{"admin":true}"#)
            #expect(promoted.status == .ok && promoted.json["admin"] as? Bool == true && promoted.json["auditor"] as? Bool == false,
                    "an auditor made an admin is no longer an auditor: \(promoted.json)")
            let demoted = try await client.call(.patch, "/api/v1/admin/users/iris", token: boss, body: #"{"auditor":true}"#)
            #expect(demoted.json["admin"] as? Bool == false && demoted.json["auditor"] as? Bool == true, "\(demoted.json)")
        }
    }
}
