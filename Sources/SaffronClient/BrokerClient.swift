import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client of a running broker's HTTP API, for driving it from another machine (`saffron --server URL ...`).
public final class BrokerClient: Sendable {
    /// The broker's base URL, e.g. `https://broker.example:8443`, without a trailing slash.
    public let server: String
    private let token: String?
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
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.token = token
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            } catch {
                throw RemoteError.usage("Cannot read CA certificates from \(caFile): \(error)")
            }
        }
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    deinit {
        try? http.syncShutdown()
    }

    /// Sends a request to `path` (under the server, e.g. `/api/v1/admin/pools`) with an optional JSON body; answers
    /// the response body of a 2xx, and throws the API's error for anything else.
    @discardableResult
    public func call(_ method: APIMethod, _ path: String, json body: Data? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: server + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "saffron-cli")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: Self.timeout)
        } catch {
            throw RemoteError.unreachable(server: server, reason: "\(error)")
        }
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let data = Data(buffer.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            throw RemoteError(status: Int(response.status.code), body: data, server: server)
        }
        return data
    }

    /// Sends `body` encoded as JSON.
    @discardableResult
    public func call(_ method: APIMethod, _ path: String, body: some Encodable) async throws -> Data {
        try await call(method, path, json: try JSONEncoder().encode(body))
    }

    /// GETs `path` and decodes the answer.
    public func get<T: Decodable>(_ type: T.Type, _ path: String) async throws -> T {
        try Self.decode(type, from: try await call(.get, path))
    }

    /// Decodes an API answer (dates in ISO 8601).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
                return date
            }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not an ISO 8601 date: \(text)"))
        }
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw RemoteError.usage("The broker's answer was not what this saffron expects (\(error)); is it the same version?")
        }
    }

    /// `?name=value&…` with each part percent-encoded (a connection URI holds `:`, `/` and maybe `?`); empty for none.
    public static func query(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return items.isEmpty ? "" : "?" + items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// `/api/v1/` followed by `segments`, each percent-encoded, so names with `/`, `?` or spaces stay one segment.
    public static func apiPath(_ segments: String...) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#;")
        return "/api/v1/" + segments.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
    }
}

/// The HTTP methods the API uses.
public enum APIMethod: String, Sendable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE"
}
