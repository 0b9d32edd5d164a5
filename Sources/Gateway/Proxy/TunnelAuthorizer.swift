/// The one question the CONNECT proxy asks: may this client open a tunnel to this endpoint?
///
/// The proxy hands over the address the client connected from, never one the client claims; the authorizer answers
/// with the session the tunnel belongs to (ending that session closes the tunnel) or refuses.
public protocol TunnelAuthorizer: Sendable {
    /// The session a tunnel from `clientAddress` to `target` belongs to.
    ///
    /// - Throws: a `TunnelRefusal` (sent to the client as its HTTP status); any other error answers 500.
    func authorize(clientAddress: String, target: ConnectTarget) async throws -> String
}

/// Why the proxy refuses a request, with the HTTP status the client gets.
public struct TunnelRefusal: Error, Sendable, Equatable {
    /// The status line's code.
    public var status: Int
    /// The status line's reason phrase and the body: short, for people, never an internal address.
    public var reason: String

    /// Creates a refusal with an HTTP status and a reason for people.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// No live session of this client has this endpoint (403).
    public static let forbidden = TunnelRefusal(status: 403, reason: "Forbidden")
    /// A method other than CONNECT, so no open proxy (405).
    static let methodNotAllowed = TunnelRefusal(status: 405, reason: "Method Not Allowed")
    /// The request target is not `ADDRESS:PORT` (400).
    static let badRequest = TunnelRefusal(status: 400, reason: "Bad Request")
    /// The client holds as many connections as it may (429).
    static let tooManyConnections = TunnelRefusal(status: 429, reason: "Too Many Requests")
    /// The desktop's endpoint did not answer (502).
    static let unreachable = TunnelRefusal(status: 502, reason: "Bad Gateway")
    /// The proxy holds as many connections as it may (503).
    static let full = TunnelRefusal(status: 503, reason: "Service Unavailable")
    /// The proxy is shutting down (503).
    static let shuttingDown = TunnelRefusal(status: 503, reason: "Service Unavailable")
    /// The authorizer failed unexpectedly; details are logged, not sent (500).
    static let internalError = TunnelRefusal(status: 500, reason: "Internal Server Error")
}

extension TunnelRefusal {
    /// The refusal as a complete HTTP response with a short plain-text body, closing the connection.
    var response: [UInt8] {
        let body = "\(self.status) \(self.reason)\n"
        let head =
            "HTTP/1.1 \(self.status) \(self.reason)\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Content-Type: text/plain\r\nConnection: close\r\n\r\n"
        return Array((head + body).utf8)
    }
}
