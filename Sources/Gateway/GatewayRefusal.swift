/// Why a connection is refused or closed, with the WebSocket close code the browser sees.
///
/// Codes in the 4000s are private-use codes mirroring HTTP statuses (4401 like 401, 4502 like 502), so the portal can
/// tell the user what happened.
public struct GatewayRefusal: Error, Sendable, Equatable {
    /// The WebSocket close code sent in the Close frame.
    public var closeCode: UInt16
    /// The reason sent in the Close frame: short, for people, never secret.
    public var reason: String

    /// Creates a refusal with a close code and a reason for people.
    public init(closeCode: UInt16, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    /// The token is unknown, expired or already used (4401).
    public static func unknownToken(_ reason: String = "token unknown, expired or already used") -> GatewayRefusal {
        GatewayRefusal(closeCode: 4401, reason: reason)
    }

    /// The page that opened the WebSocket is not allowed to use this token (4403).
    public static func originNotAllowed(_ reason: String = "origin not allowed") -> GatewayRefusal {
        GatewayRefusal(closeCode: 4403, reason: reason)
    }

    /// The broker ended the session, so its connections are closed (4410).
    public static func sessionEnded(_ reason: String = "session ended") -> GatewayRefusal {
        GatewayRefusal(closeCode: 4410, reason: reason)
    }

    /// The desktop's SPICE endpoint could not be reached (4502).
    ///
    /// The detail, when given, is appended to the reason; keep internal addresses out of it, log them instead.
    public static func unreachable(_ detail: String? = nil) -> GatewayRefusal {
        GatewayRefusal(closeCode: 4502, reason: detail.map { "desktop unreachable: \($0)" } ?? "desktop unreachable")
    }

    /// No traffic in either direction for the configured idle timeout (4408).
    public static let idleTimeout = GatewayRefusal(closeCode: 4408, reason: "idle timeout")

    /// The request could not be understood (4400).
    public static let badRequest = GatewayRefusal(closeCode: 4400, reason: "bad request")
}

extension GatewayRefusal {
    /// Redemption and connection together took longer than the handshake timeout.
    static let handshakeTimeout = GatewayRefusal(closeCode: 4408, reason: "handshake timed out")
    /// The gateway is shutting down (1001, "going away").
    static let goingAway = GatewayRefusal(closeCode: 1001, reason: "gateway shutting down")
    /// The desktop closed its end of the connection (1000, normal closure).
    static let targetClosed = GatewayRefusal(closeCode: 1000, reason: "desktop closed the connection")
    /// A frame larger than the configured maximum (1009, "message too big").
    static let frameTooLarge = GatewayRefusal(closeCode: 1009, reason: "frame too large")
    /// The client broke the WebSocket protocol (1002).
    static func protocolError(_ reason: String = "protocol error") -> GatewayRefusal {
        GatewayRefusal(closeCode: 1002, reason: reason)
    }
    /// Something unexpected failed inside the gateway; details are logged, not sent (1011).
    static let internalError = GatewayRefusal(closeCode: 1011, reason: "internal error")
}
