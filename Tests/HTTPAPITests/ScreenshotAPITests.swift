import BrokerTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// `GET /api/v1/admin/pools/{pool}/vms/{vm}/screenshot`: a PNG for admins, JSON errors for everyone else.
@Suite struct ScreenshotAPITests {
    static let path = "/api/v1/admin/pools/office/vms"

    @Test func anAdminGetsAnUncachedPNGOfARunningVM() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.login("alice")
            let desktop = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let vm = try #require(desktop.json["vm"] as? String)
            let boss = try await client.login("boss")

            let answer = try await client.call(.get, "\(Self.path)/\(vm)/screenshot", token: boss)
            #expect(answer.status == .ok)
            #expect(answer.response.headers[.contentType] == "image/png")
            #expect(answer.response.headers[.cacheControl] == "no-store")
            let png = Array(answer.response.body.readableBytesView)
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(png.prefix(8))")
            #expect(Array(png[12..<24]) == Array("IHDR".utf8) + [0, 0, 1, 64, 0, 0, 0, 200], "320×200 from the fake's 640×400")

            let pools = try await client.call(.get, "/api/v1/admin/pools", token: boss).json["pools"] as? [[String: Any]]
            let vms = try #require(pools?.first?["vms"] as? [[String: Any]])
            #expect(vms.filter { $0["running"] as? Bool == true }.map { $0["name"] as? String } == [vm])
            #expect(vms.filter { $0["running"] as? Bool == false }.count == 2)
        }
    }

    @Test func everyoneElseGetsAJSONErrorSayingWhy() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.login("alice")
            let desktop = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let held = try #require(desktop.json["vm"] as? String)
            let stopped = try #require(["desk1", "desk2", "desk3"].first { $0 != held })
            let boss = try await client.login("boss")
            let cases: [(String, String?, HTTPResponse.Status, String)] = [
                ("\(Self.path)/\(held)/screenshot", nil, .unauthorized, "unauthorized"),
                ("\(Self.path)/\(held)/screenshot", alice, .forbidden, "forbidden"),
                ("\(Self.path)/\(stopped)/screenshot", boss, .conflict, "vm_not_running"),
                ("\(Self.path)/nope/screenshot", boss, .notFound, "vm_not_found"),
                ("/api/v1/admin/pools/nowhere/vms/\(held)/screenshot", boss, .notFound, "pool_not_found"),
                ("\(Self.path)/%ZZ/screenshot", boss, .badRequest, "bad_request"),
            ]
            for (uri, token, status, code) in cases {
                let answer = try await client.call(.get, uri, token: token)
                #expect(answer.status == status && errorCode(answer.json) == code, "\(uri): \(answer.status) \(answer.json)")
                #expect(answer.response.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)")
            }
            #expect(await fixture.hypervisor.screenshots == 0)
        }
    }
}
