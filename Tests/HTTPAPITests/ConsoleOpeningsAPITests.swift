import BrokerTestSupport
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import Testing

/// A user sees, with their desktop, which admins were given a way into it.
@Suite struct ConsoleOpeningsAPITests {
    @Test func aUserSeesWhichAdminWasGivenTheirConsole() async throws {
        try await withLiveAPI { client, fixture in
            try await fixture.user("boss", admin: true)
            let alice = try await client.login("alice")
            let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
            let id = try #require(created.json["id"] as? String)
            _ = try await client.call(.get, "/api/v1/sessions/\(id)/console.vv", token: alice)
            #expect(try await openings(client, alice).isEmpty, "her own console is no one else's look")

            let boss = try await client.login("boss")
            #expect(try await client.call(.get, "/api/v1/sessions/\(id)/console.vv", token: boss).status == .ok)
            let seen = try await openings(client, alice)
            #expect(seen.count == 1 && seen.first?["by"] as? String == "boss", "\(seen)")
            #expect(seen.first?["at"] is String)
        }
    }

    private func openings(_ client: any TestClientProtocol, _ token: String) async throws -> [[String: Any]] {
        let sessions = try #require(try await client.call(.get, "/api/v1/sessions", token: token).json["sessions"] as? [[String: Any]])
        return try #require(sessions.first?["consoleOpenedBy"] as? [[String: Any]])
    }
}
