import Foundation
import Testing

extension EndToEnd {
    /// What the API answers to requests it must refuse; every refusal has the JSON error shape.
    @Suite struct BadInput {
        @Test("malformed, oversized and unexpected request bodies are refused with JSON errors")
        func badBodies() throws {
            try BrokerFixture.run("bad-bodies") { broker in
                let malformed = try API.request("POST", "/api/v1/login", body: Data(#"{"username": "alice", "#.utf8))
                #expect(malformed.status == 400, "\(malformed)")
                #expect(malformed.errorCode != nil, "no JSON error shape: \(malformed)")

                let unknownField = try API.request("POST", "/api/v1/login", body: try API.json([
                    "username": TestUsers.alice, "password": TestUsers.password(TestUsers.alice), "admin": true,
                ]))
                #expect(unknownField.status == 400, "\(unknownField)")
                #expect(unknownField.errorCode != nil, "no JSON error shape: \(unknownField)")

                let huge = Data(#"{"username": "alice", "password": ""#.utf8)
                    + Data(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024) + Data(#""}"#.utf8)
                let tooLarge = try API.request("POST", "/api/v1/login", body: huge)
                #expect(tooLarge.status == 413, "\(tooLarge)")
                #expect(tooLarge.errorCode != nil, "no JSON error shape: \(tooLarge)")

                let badPassword = try API.request("POST", "/api/v1/login", body: try API.json([
                    "username": TestUsers.alice, "password": "not-\(TestUsers.password(TestUsers.alice))",
                ]))
                #expect(badPassword.status == 401, "\(badPassword)")
                #expect(badPassword.errorCode != nil, "no JSON error shape: \(badPassword)")

                let token = try API.login(TestUsers.alice)
                let (unknownPool, _) = try API.requestDesktop("no-such-pool", token: token)
                #expect(unknownPool.status == 404, "\(unknownPool)")
                #expect(unknownPool.errorCode == "pool_not_found", "\(unknownPool)")
            }
        }

        @Test("missing or foreign credentials get 401 and 404, and change nothing")
        func authorization() throws {
            try BrokerFixture.run("authorization") { broker in
                let anonymous = [
                    try API.request("GET", "/api/v1/pools"),
                    try API.request("POST", "/api/v1/pools/\(BrokerFixture.pool)/desktop"),
                    try API.request("GET", "/api/v1/pools", token: "not-a-token"),
                ]
                for response in anonymous {
                    #expect(response.status == 401, "\(response)")
                    #expect(response.errorCode != nil, "no JSON error shape: \(response)")
                }

                let alice = try API.login(TestUsers.alice)
                let (created, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: alice)
                let session = try #require(maybeSession, "no session in \(created)")
                let other = try API.login(TestUsers.crowd[0])

                let foreignConsole = try API.console(session.id, token: other)
                #expect(foreignConsole.status == 404, "\(foreignConsole)")
                #expect(foreignConsole.errorCode != nil, "no JSON error shape: \(foreignConsole)")
                let foreignRelease = try API.release(session.id, token: other)
                #expect(foreignRelease.status == 404, "\(foreignRelease)")
                #expect(foreignRelease.errorCode != nil, "no JSON error shape: \(foreignRelease)")
                let anonymousRelease = try API.request("DELETE", "/api/v1/sessions/\(session.id)")
                #expect(anonymousRelease.status == 401, "\(anonymousRelease)")

                #expect(try Topology.dnatRule(session: session.id) != nil, "the session must survive")
                #expect(try API.console(session.id, token: alice).status == 200)
            }
        }
    }
}
