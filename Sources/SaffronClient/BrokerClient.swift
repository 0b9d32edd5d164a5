import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOSSL
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import SaffronAPI

/// A running broker's API over HTTP(S), through the client generated from `openapi.yaml`: what `saffron --server URL`
/// commands call. An answer other than 2xx is thrown as `RemoteError`, with the API's code and message.
public final class BrokerClient: Sendable {
    /// The broker's base URL, e.g. `https://broker.example:8443`, without a trailing slash.
    public let server: String
    /// The document's operations on that broker.
    package let api: Client
    private let http: HTTPClient
    private static let timeout = TimeAmount.seconds(120)

    /// - Parameters:
    ///   - server: the broker's base URL (`http://` or `https://`).
    ///   - token: a login token (see `saffron login`); nil for calls that need none.
    ///   - caFile: a PEM file of CA certificates to trust for HTTPS besides the system's, e.g. the broker's own CA.
    public init(server: String, token: String?, caFile: String? = nil) throws {
        guard let url = URL(string: server), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw RemoteError.usage("The server must be an http:// or https:// URL, e.g. https://broker.example:8443, not \(server.debugDescription).")
        }
        let server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.server = server
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw RemoteError.usage("Cannot read CA certificates from \(caFile): \(error)")
            }
        }
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
        self.http = http
        api = Client(
            serverURL: URL(string: server)!,
            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: Self.timeout)),
            middlewares: [BrokerCallMiddleware(server: server, token: token)])
    }

    deinit {
        try? http.syncShutdown()
    }
}

/// What every call to a broker carries (the token, the CLI's name) and how its failures read: an answer other than
/// 2xx becomes the API's error, no answer at all `unreachable`.
struct BrokerCallMiddleware: ClientMiddleware {
    let server: String
    let token: String?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.userAgent] = "saffron-cli"
        if let token { request.headerFields[.authorization] = "Bearer \(token)" }
        let (response, responseBody): (HTTPResponse, HTTPBody?)
        do {
            (response, responseBody) = try await next(request, body, baseURL)
        } catch {
            throw RemoteError.unreachable(server: server, reason: "\(error)")
        }
        guard response.status.kind == .successful else {
            var data = Data()
            if let responseBody { data = try await Data(collecting: responseBody, upTo: 1024 * 1024) }
            throw RemoteError(status: response.status.code, body: data, server: server)
        }
        return (response, responseBody)
    }
}
