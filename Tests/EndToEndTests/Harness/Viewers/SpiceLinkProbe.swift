import Foundation

/// How a SPICE server answered a link handshake.
enum SpiceLinkOutcome: Equatable, CustomStringConvertible {
    /// The link result after the ticket: 0 is SPICE_LINK_ERR_OK, 7 SPICE_LINK_ERR_PERMISSION_DENIED.
    case linked(result: UInt32)
    /// The server refused the link before the ticket (error field of SpiceLinkReply).
    case linkError(UInt32)
    /// No SPICE server answered (refused, reset, closed).
    case connectionFailed(String)
    /// The WebSocket gateway closed the connection with this close code.
    case closed(code: UInt32, reason: String)

    static let accepted = SpiceLinkOutcome.linked(result: 0)
    static let permissionDenied = SpiceLinkOutcome.linked(result: 7)

    var description: String {
        switch self {
        case .linked(let result): "link result \(result)"
        case .linkError(let error): "link error \(error)"
        case .connectionFailed(let why): "connection failed: \(why)"
        case .closed(let code, let reason): "closed \(code) \(reason)"
        }
    }
}

/// Speaks the SPICE link handshake for the main channel and sends a ticket, the way a SPICE client logs in,
/// so the tests ask the real SPICE server (not the broker) whether a ticket opens the console.
/// The bytes are done by a small Python helper, `spice_link_probe.py` (socket + `cryptography` for RSA-OAEP/SHA-1),
/// run with `ip netns exec` so the connection starts inside the client or gateway namespace.
enum SpiceLinkProbe {
    /// Links to `host:port` from inside `namespace` with `ticket`.
    static func link(host: String, port: Int, ticket: String, from namespace: String) throws -> SpiceLinkOutcome {
        try parse(try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", try helperScript(), "tcp", host, String(port)],
            input: Data((ticket + "\n").utf8), timeout: 30))
    }

    /// Links to `host:port` over TLS trusting only the CA certificate at `ca`, from inside `namespace`, with `ticket`.
    static func link(tlsHost host: String, port: Int, ca: String, ticket: String, from namespace: String) throws -> SpiceLinkOutcome {
        try parse(try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", try helperScript(), "tls", host, String(port), ca],
            input: Data((ticket + "\n").utf8), timeout: 30))
    }

    /// Links through the WebSocket gateway at `url` (subprotocol `binary`, as spice-html5 asks), sending `origin`.
    static func link(webSocket url: String, origin: String?, ticket: String, from namespace: String) throws -> SpiceLinkOutcome {
        try parse(try Command.check(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", try helperScript(), "ws", url, origin ?? ""],
            input: Data((ticket + "\n").utf8), timeout: 30))
    }

    /// Starts a WebSocket link that stays open after the handshake; its output file gets `result N` once linked and
    /// `closed CODE REASON` when the gateway closes it. With `linking` false no SPICE byte is sent: the output gets
    /// `open` once the gateway accepted the WebSocket, and the SPICE server has no client to drop.
    static func holdWebSocket(
        _ url: String, origin: String?, ticket: String, from namespace: String, output: URL, linking: Bool = true
    ) throws -> BackgroundProcess {
        try? FileManager.default.removeItem(at: output)
        return try BackgroundProcess(
            ["ip", "netns", "exec", namespace, "/usr/bin/python3", "-u", try helperScript(), "ws", url, origin ?? "",
             linking ? "hold" : "idle"],
            input: Data((ticket + "\n").utf8), stdout: output, stderr: output)
    }

    /// What a probe printed, as an outcome.
    static func parse(_ result: CommandResult) throws -> SpiceLinkOutcome {
        try parse(result.output, errors: result.errorOutput)
    }

    static func parse(_ output: String, errors: String = "") throws -> SpiceLinkOutcome {
        let words = output.split(whereSeparator: \.isWhitespace)
        switch (words.first, words.dropFirst().first.flatMap { UInt32($0) }) {
        case ("result", let code?): return .linked(result: code)
        case ("link-error", let code?): return .linkError(code)
        case ("closed", let code?): return .closed(code: code, reason: words.dropFirst(2).joined(separator: " "))
        case ("connect-error", _): return .connectionFailed(words.dropFirst().joined(separator: " "))
        default: throw CommandError(description: "SPICE probe printed '\(output)': \(errors)")
        }
    }

    /// `spice_link_probe.py`: spice-protocol's link handshake for the main channel and the ticket, over TCP or over a
    /// WebSocket whose binary frames carry the same bytes.
    private static func helperScript() throws -> String {
        try TestScripts.path("spice_link_probe.py")
    }
}
