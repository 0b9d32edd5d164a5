import BrokerTestSupport
import Foundation
import HTTPAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct StaticFilesTests {
    /// A portal folder and a spice-html5 folder with a few files, and a secret file beside them.
    static func makeFolders() throws -> (web: String, spice: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-web-\(UUID().uuidString)")
        let web = base.appendingPathComponent("web"), spice = base.appendingPathComponent("spice")
        try FileManager.default.createDirectory(at: web.appendingPathComponent("assets/empty"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: spice, withIntermediateDirectories: true)
        try "<!doctype html><title>Saffron</title>".write(to: web.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        try "export const x = 1;".write(to: web.appendingPathComponent("assets/portal.js"), atomically: true, encoding: .utf8)
        try "body{}".write(to: web.appendingPathComponent("assets/portal.css"), atomically: true, encoding: .utf8)
        try "export class SpiceMainConn {}".write(to: spice.appendingPathComponent("main.js"), atomically: true, encoding: .utf8)
        try "export function rsa_encrypt() { /* distro */ }".write(
            to: spice.appendingPathComponent("ticket.js"), atomically: true, encoding: .utf8)
        try "export function rsa_encrypt() { /* padded */ }".write(
            to: web.appendingPathComponent("assets/spice-ticket.js"), atomically: true, encoding: .utf8)
        try "secret".write(to: base.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        return (web.path, spice.path)
    }

    func withFiles(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let folders = try Self.makeFolders()
        let fixture = try await BrokerFixture()
        let router = APIRouter.build(
            broker: fixture.broker, accounts: fixture.accounts, webFiles: WebFiles(root: folders.web, spiceHTML5: folders.spice))
        try await Application(router: router).test(.live) { client in try await body(client) }
    }

    @Test func pagesAndAssetsHaveTheirTypesAndCacheHeaders() async throws {
        try await withFiles { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let policy = response.headers[HTTPField.Name("Content-Security-Policy")!] ?? ""
                #expect(policy.contains("default-src 'self'") && policy.contains("connect-src 'self' ws://127.0.0.1:8081"))
            }
            try await client.execute(uri: "/assets/portal.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.contains("javascript") == true)
                #expect(response.headers[.cacheControl] == "public, max-age=300")
            }
            try await client.execute(uri: "/assets/portal.css", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
            }
            try await client.execute(uri: "/spice-html5/main.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("SpiceMainConn"))
            }
        }
    }

    /// spice-html5's ticket module is the portal's padded one; the distro's stays reachable for it to wrap.
    @Test func spiceHTML5GetsThePaddedTicketModule() async throws {
        try await withFiles { client in
            for (uri, marker) in [
                ("/spice-html5/ticket.js", "padded"), ("/spice-html5/ticket-upstream.js", "distro"),
                ("/assets/spice-ticket.js", "padded"),
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok, "\(uri) answered \(response.status)")
                    #expect(response.headers[.contentType]?.contains("javascript") == true, "\(uri)")
                    #expect(String(buffer: response.body).contains(marker), "\(uri): \(String(buffer: response.body))")
                }
            }
        }
    }

    @Test func noListingsAndNoWayOut() async throws {
        try await withFiles { client in
            for uri in ["/assets/", "/assets/empty/", "/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                        "/spice-html5/../secret.txt", "/spice-html5/%2e%2e/%2e%2e/web/index.html"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status != .ok, "\(uri) answered \(response.status)")
                    #expect(!String(buffer: response.body).contains("secret"), "\(uri) leaked the file")
                }
            }
        }
    }

    @Test func theAPIStillAnswersJSONBesideTheFiles() async throws {
        try await withFiles { client in
            try await client.execute(uri: "/api/v1/pools", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
        }
    }
}
