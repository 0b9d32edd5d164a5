import Foundation

/// An HTTP response as curl received it inside the client namespace.
struct HTTPResponse: CustomStringConvertible {
    let status: Int
    /// Header names in lower case; the last header block (after any `100 Continue`).
    let headers: [String: String]
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }

    /// `error.code` when the body has the API's error shape `{"error":{"code","message"}}`, else nil.
    var errorCode: String? {
        guard let error = json()?["error"] as? [String: Any], error["message"] is String else { return nil }
        return error["code"] as? String
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: body)
    }

    var description: String { "HTTP \(status) \(text.prefix(500))" }
}

/// A desktop session as the API returns it.
struct DesktopSession: Decodable, Equatable {
    let id: String
    let pool: String
    let vm: String
    let host: String
    let port: Int
    let user: String
    let clientAddress: String

    private enum CodingKeys: String, CodingKey { case id, pool, vm, host, port, user, clientAddress }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        // The contract does not say whether ids are numbers or strings; the tests treat them as text.
        if let number = try? container.decode(Int.self, forKey: .id) {
            id = String(number)
        } else {
            id = try container.decode(String.self, forKey: .id)
        }
        pool = try container.decode(String.self, forKey: .pool)
        vm = try container.decode(String.self, forKey: .vm)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decode(Int.self, forKey: .port)
        user = try container.decode(String.self, forKey: .user)
        clientAddress = try container.decode(String.self, forKey: .clientAddress)
    }
}

/// A pool as `GET /api/v1/pools` lists it.
struct PoolSummary: Decodable {
    let name: String
    let connect: String
    let vms: Int
    let freeVMs: Int
}

/// A request started with `API.start`, still in flight.
final class PendingRequest {
    private let process: BackgroundProcess
    private let bodyURL: URL
    private let headersURL: URL

    fileprivate init(process: BackgroundProcess, bodyURL: URL, headersURL: URL) {
        self.process = process
        self.bodyURL = bodyURL
        self.headersURL = headersURL
    }

    /// Waits for the response; throws when no HTTP response came at all.
    func finish(timeout: TimeInterval = 30) throws -> HTTPResponse {
        defer {
            process.removeOutputFiles()
            try? FileManager.default.removeItem(at: bodyURL)
            try? FileManager.default.removeItem(at: headersURL)
        }
        guard process.wait(timeout: timeout) != nil else {
            process.stop(grace: 2)
            throw CommandError(description: "curl did not end within \(timeout) s")
        }
        let code = process.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let status = Int(code), status > 0 else {
            throw CommandError(description: "no HTTP response (curl: \(process.errorOutput))")
        }
        let headerText = (try? String(contentsOf: headersURL, encoding: .utf8)) ?? ""
        let lastBlock = headerText.components(separatedBy: "\r\n\r\n").last { !$0.isEmpty } ?? ""
        var headers: [String: String] = [:]
        for line in lastBlock.components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return HTTPResponse(status: status, headers: headers, body: (try? Data(contentsOf: bodyURL)) ?? Data())
    }
}

/// The broker's HTTP API, called with curl from inside the client namespace, so the broker sees the client's
/// address and the requests cross the same links a user's would.
enum API {
    static let base = "http://\(Topology.gatewayPublicAddress):\(BrokerUnderTest.httpPort)"

    /// Starts a request without waiting for it (the concurrency test runs ten at once); `base` names another broker,
    /// `source` another address of the client namespace to send from.
    static func start(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil, timeout: TimeInterval = 20,
        base: String = API.base, source: String? = nil
    ) throws -> PendingRequest {
        let bodyURL = Scratch.file("response-body")
        let headersURL = Scratch.file("response-headers")
        var arguments = [
            "curl", "-sS", "--connect-timeout", "3", "--max-time", String(Int(timeout)),
            "-o", bodyURL.path, "-D", headersURL.path, "-w", "%{http_code}", "-X", method,
        ]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let source { arguments += ["--interface", source] }
        if let body {
            let requestURL = Scratch.file("request-body")
            try body.write(to: requestURL)
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@\(requestURL.path)"]
        }
        arguments.append(base + path)
        let process = try BackgroundProcess(Topology.inClient(arguments))
        return PendingRequest(process: process, bodyURL: bodyURL, headersURL: headersURL)
    }

    /// Sends a request and waits for its response.
    static func request(
        _ method: String, _ path: String, token: String? = nil, body: Data? = nil, timeout: TimeInterval = 20
    ) throws -> HTTPResponse {
        try start(method, path, token: token, body: body, timeout: timeout).finish(timeout: timeout + 5)
    }

    /// A JSON body from a dictionary.
    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// Logs `user` in with the test password; the bearer token.
    static func login(_ user: String) throws -> String {
        let body = try json(["username": user, "password": TestUsers.password(user)])
        let response = try request("POST", "/api/v1/login", body: body)
        guard response.status == 200, let token = response.json()?["token"] as? String else {
            throw CommandError(description: "login of \(user) failed: \(response)")
        }
        return token
    }

    /// The pool named `name` from `GET /api/v1/pools`.
    static func pool(_ name: String, token: String) throws -> PoolSummary {
        let response = try request("GET", "/api/v1/pools", token: token)
        struct Pools: Decodable { let pools: [PoolSummary] }
        guard response.status == 200, let pool = try response.decode(Pools.self).pools.first(where: {
            $0.name == name
        }) else {
            throw CommandError(description: "no pool \(name) in GET /api/v1/pools: \(response)")
        }
        return pool
    }

    /// `POST /api/v1/pools/{pool}/desktop`: the response, and the session when it carries one.
    static func requestDesktop(_ pool: String, token: String) throws -> (HTTPResponse, DesktopSession?) {
        let response = try request("POST", "/api/v1/pools/\(pool)/desktop", token: token)
        return (response, try? response.decode(DesktopSession.self))
    }

    /// `GET /api/v1/sessions/{id}/console.vv`, `?via=` the route when given.
    static func console(_ session: String, token: String, via route: String? = nil) throws -> HTTPResponse {
        try request("GET", "/api/v1/sessions/\(session)/console.vv" + (route.map { "?via=\($0)" } ?? ""), token: token)
    }

    /// The password of a fresh console.vv; throws unless the download succeeded.
    static func consoleTicket(_ session: String, token: String) throws -> String {
        let response = try console(session, token: token)
        guard response.status == 200, let password = VirtViewerFile.parse(response.text)["password"] else {
            throw CommandError(description: "console.vv of session \(session): \(response)")
        }
        return password
    }

    /// `DELETE /api/v1/sessions/{id}`.
    static func release(_ session: String, token: String) throws -> HTTPResponse {
        try request("DELETE", "/api/v1/sessions/\(session)", token: token)
    }
}
