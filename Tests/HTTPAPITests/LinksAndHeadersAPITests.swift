import BrokerTestSupport
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

/// Phone links point where the client reached the broker, and every answer carries the security headers.
@Suite struct LinksAndHeadersAPITests {
    private func withAPI(
        publicURL: PublicBaseURL, trusting proxies: [String] = [],
        _ body: @escaping @Sendable (any TestClientProtocol, BrokerFixture) async throws -> Void
    ) async throws {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        let router = APIRouter.build(
            broker: fixture.broker, accounts: fixture.accounts, trustedProxies: proxies.compactMap(AddressRange.init),
            publicURL: publicURL)
        try await Application(router: router).test(.live) { client in try await body(client, fixture) }
    }

    /// Alice's phone link's URL, asked for with `headers`.
    private func phoneLink(_ client: any TestClientProtocol, headers: HTTPFields = [:]) async throws -> String {
        let alice = try await client.login("alice")
        let created = try await client.call(.post, "/api/v1/pools/office/desktop", token: alice)
        let id = try #require(created.json["id"] as? String)
        var fields = headers
        fields[.authorization] = "Bearer \(alice)"
        return try await client.execute(uri: "/api/v1/sessions/\(id)/phone-link", method: .post, headers: fields) { response in
            #expect(response.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            return try #require(json["url"] as? String)
        }
    }

    @Test func aBrokerServingTLSGivesHTTPSLinks() async throws {
        try await withAPI(publicURL: PublicBaseURL(servesTLS: true)) { client, _ in
            let url = try await phoneLink(client)
            #expect(url.hasPrefix("https://") && url.contains("/p/"), "\(url)")
        }
    }

    @Test func behindATrustedProxyTheForwardedSchemeIsTakenFromNoOneElse() async throws {
        try await withAPI(publicURL: PublicBaseURL(), trusting: ["127.0.0.1", "::1"]) { client, _ in
            let url = try await phoneLink(client, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(url.hasPrefix("https://"), "\(url)")
        }
        try await withAPI(publicURL: PublicBaseURL()) { client, _ in
            let url = try await phoneLink(client, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(url.hasPrefix("http://"), "an untrusted peer's X-Forwarded-Proto is ignored: \(url)")
        }
    }

    @Test func aConfiguredPublicURLIsUsedAsIs() async throws {
        try await withAPI(publicURL: PublicBaseURL(configured: "https://vdi.example/")) { client, _ in
            let url = try await phoneLink(client)
            #expect(url.hasPrefix("https://vdi.example/p/"), "\(url)")
        }
    }

    @Test func errorAnswersCarryTheSecurityHeadersToo() async throws {
        try await withLiveAPI { client, _ in
            for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/nowhere"), (.get, "/api/v1/sessions"), (.post, "/api/v1/login")] {
                try await client.execute(uri: uri, method: method, body: ByteBuffer(string: "{")) { response in
                    #expect(response.status.code >= 400, "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri): \(response.headers)")
                    #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer", "\(uri)")
                }
            }
        }
    }

    @Test func aLoginNameThatCannotBeAUserIsAnsweredLikeAWrongPasswordAndNotRecorded() async throws {
        try await withLiveAPI { client, fixture in
            let huge = String(repeating: "a", count: 60 * 1024)
            for name in [huge, " alice"] {
                let body = #"{"username":"\#(name)","password":"pw-alice"}"#
                let answer = try await client.call(.post, "/api/v1/login", token: nil, body: body)
                #expect(answer.status == .unauthorized && errorCode(answer.json) == "invalid_credentials")
            }
            let failed = try await fixture.broker.audit.events(limit: 1000, requestedBy: nil).filter { $0.action == .loginFailed }
            #expect(failed.isEmpty, "impossible names reach no audit entry: \(failed.map(\.subject.count))")
        }
    }
}
