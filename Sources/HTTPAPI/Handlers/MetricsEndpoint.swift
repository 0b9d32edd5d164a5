import Broker
import HTTPTypes
import Hummingbird

/// What `GET /metrics` serves a Prometheus scraper (see `APIHandler.metrics`): the token it must carry and the text.
public struct MetricsEndpoint: Sendable {
    /// The bearer token a scrape must carry; empty lets every request through.
    public var token: String
    /// Produces the exposition text (refreshing gauges first).
    public var render: @Sendable () async throws -> [UInt8]

    public init(token: String, render: @escaping @Sendable () async throws -> [UInt8]) {
        self.token = token
        self.render = render
    }

    /// Whether `sent` is `token`, looking at every byte of the token whatever the first difference, so the time
    /// taken says nothing about how much of a guess was right.
    static func matches(_ sent: String, _ token: String) -> Bool {
        let (sent, token) = (Array(sent.utf8), Array(token.utf8))
        var difference: UInt8 = sent.count == token.count ? 0 : 1
        for index in token.indices { difference |= token[index] ^ (index < sent.count ? sent[index] : 0) }
        return difference == 0
    }
}
