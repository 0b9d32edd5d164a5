import Broker
import Foundation
import HummingbirdTesting
import Testing

@Suite struct LoginAPITests {
    @Test func badCredentialsAre401WithoutSayingWhichPartWasWrong() async throws {
        try await withLiveAPI { client, _ in
            let wrong = try await client.call(.post, "/api/v1/login", token: nil, body: #"{"username":"alice","password":"x"}"#)
            let unknown = try await client.call(.post, "/api/v1/login", token: nil, body: #"{"username":"zed","password":"x"}"#)
            #expect(wrong.status == .unauthorized)
            #expect(errorCode(wrong.json) == "invalid_credentials")
            #expect(NSDictionary(dictionary: wrong.json) == NSDictionary(dictionary: unknown.json))
        }
    }

    @Test func guessingIsAnswered429WithRetryAfter() async throws {
        // A wait long enough that a slow machine still asks within it.
        var policy = LoginThrottle.Policy()
        policy.firstBackoff = .seconds(60)
        try await withLiveAPI(throttle: LoginThrottle(policy: policy)) { client, _ in
            var statuses: [Int] = []
            for _ in 0..<7 {
                statuses.append(try await client.call(.post, "/api/v1/login", token: nil, body: #"{"username":"alice","password":"x"}"#).status.code)
            }
            #expect(statuses == [401, 401, 401, 401, 401, 401, 429], "five free failures, the sixth starts a wait")
            let throttled = try await client.call(.post, "/api/v1/login", token: nil, body: #"{"username":"alice","password":"pw-alice"}"#)
            #expect(throttled.status == .tooManyRequests)
            #expect(errorCode(throttled.json) == "too_many_attempts")
            #expect(Int(throttled.response.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test func badBodiesGetClear4xx() async throws {
        try await withLiveAPI { client, _ in
            let cases: [(String, Int)] = [
                ("{not json", 400),
                (#"["alice","pw"]"#, 400),
                (#"{"username":"alice"}"#, 400),
                (#"{"username":"alice","password":"pw-alice","admin":true}"#, 400),
                (#"{"username":1,"password":"pw"}"#, 400),
                (String(repeating: " ", count: 2 * 1024 * 1024) + "{}", 413),
            ]
            for (body, status) in cases {
                let answer = try await client.call(.post, "/api/v1/login", token: nil, body: body)
                #expect(answer.status.code == status, "body \(body.prefix(40).debugDescription)")
                #expect(errorCode(answer.json) != nil, "body \(body.prefix(40).debugDescription)")
            }
        }
    }

    @Test func logoutEndsTheTokenButNotTheDesktop() async throws {
        try await withLiveAPI { client, fixture in
            let token = try await client.login("alice")
            _ = try await client.call(.post, "/api/v1/pools/office/desktop", token: token)
            let out = try await client.call(.post, "/api/v1/logout", token: token)
            #expect(out.status == .noContent)
            #expect(try await client.call(.get, "/api/v1/pools", token: token).status == .unauthorized)
            #expect(try await fixture.store.sessions().count == 1)
        }
    }

    @Test func unknownRoutesAnswerJSON404() async throws {
        try await withLiveAPI { client, _ in
            let answer = try await client.call(.get, "/api/v1/nothing-here", token: nil)
            #expect(answer.status == .notFound)
        }
    }
}
