/// The one question the gateway asks: which target may this token reach?
///
/// How often a token may be redeemed is the resolver's policy; a token it no longer honours must fail with
/// `GatewayRefusal.unknownToken()`. (spice-html5 opens one WebSocket per SPICE channel with the same URL, so a
/// browser console needs its token several times within a few seconds.)
public protocol GatewayTokenResolver: Sendable {
    /// Redeems a token presented by a browser whose page has the given `Origin` header.
    ///
    /// - Throws: a `GatewayRefusal` (its close code is sent to the browser); any other error closes with 1011.
    func redeem(token: String, origin: String?) async throws -> GatewayTarget
}
