import Broker
import BrokerTestSupport
import Foundation
import HTTPAPI
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Runs `body` against the API served live on loopback, over a broker with fake hypervisor and forwarder.
/// - Parameter throttle: the logins' throttle, when a test needs another than the fixture's.
func withLiveAPI(
    throttle: LoginThrottle? = nil, _ body: @escaping @Sendable (any TestClientProtocol, BrokerFixture) async throws -> Void
) async throws {
    let fixture = try await BrokerFixture()
    try await fixture.user("alice")
    try await fixture.user("bob")
    let accounts = throttle.map { Accounts(store: fixture.store, bcryptCost: 4, tokenLifetime: 3600, throttle: $0) } ?? fixture.accounts
    let app = Application(router: APIRouter.build(broker: fixture.broker, accounts: accounts))
    try await app.test(.live) { client in try await body(client, fixture) }
}

extension TestClientProtocol {
    /// Logs in and returns the bearer token.
    func login(_ user: String) async throws -> String {
        try await execute(uri: "/api/v1/login", method: .post, body: ByteBuffer(string: #"{"username":"\#(user)","password":"pw-\#(user)"}"#)) {
            response in
            #expect(response.status == .ok)
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])["token"] as! String
        }
    }

    /// Sends a request with a bearer token and returns status and parsed JSON body (if any).
    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil
    ) async throws -> (status: HTTPResponse.Status, json: [String: Any], response: TestResponse) {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
            return (response.status, json, response)
        }
    }
}

/// The `error.code` of a JSON error body, checking the whole shape.
func errorCode(_ json: [String: Any]) -> String? {
    guard let error = json["error"] as? [String: Any], error["message"] is String else { return nil }
    return error["code"] as? String
}

/// The `error.message` of a JSON error body.
func errorMessage(_ json: [String: Any]) -> String? {
    (json["error"] as? [String: Any])?["message"] as? String
}
