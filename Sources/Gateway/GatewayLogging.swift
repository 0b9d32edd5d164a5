/// Helpers that keep secrets out of logs.
enum GatewayLogging {
    /// At most the first six characters of a token, enough to correlate with broker logs, never enough to reuse.
    static func redacted(token: some StringProtocol) -> String {
        token.count > 6 ? "\(token.prefix(6))…" : "\(token.prefix(6))"
    }
}
