import Logging

/// Helpers that keep secrets out of logs and log connections' ends alike on both data paths.
enum GatewayLogging {
    /// How loudly a WebSocket closed with `code` is logged: a normal end quietly, an idle or ended session at info,
    /// any refusal or broken protocol at notice. 0 (no Close was sent: the browser's connection broke) is quiet.
    static func level(forClose code: UInt16) -> Logger.Level {
        switch code {
        case 0, 1000, 1001: .debug
        case 4408, 4410: .info
        default: .notice
        }
    }

    /// At most the first six characters of a token, enough to correlate with broker logs, never enough to reuse.
    static func redacted(token: some StringProtocol) -> String {
        token.count > 6 ? "\(token.prefix(6))…" : "\(token.prefix(6))"
    }
}
