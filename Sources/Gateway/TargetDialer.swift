import NIOCore
import NIOPosix

/// How a relay obtains its target: redeem the token, then open the TCP connection with a `TCPRelayHandler` in it.
///
/// A protocol so handler tests can hand in embedded channels instead of sockets.
protocol TargetDialing: Sendable {
    /// Asks the resolver which target the token may reach; fails with a `GatewayRefusal` when it may reach none.
    func redeem(token: String, origin: String?, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayTarget>
    /// Connects to the target on `eventLoop` (the relay's own loop) with a `TCPRelayHandler` partnered to `relay`.
    func connect(to target: GatewayTarget, relay: WebSocketRelayHandler, on eventLoop: any EventLoop)
        -> EventLoopFuture<any Channel>
}

/// The real dialer: the configured resolver and a NIOPosix `ClientBootstrap`.
struct TargetDialer: TargetDialing {
    let resolver: any GatewayTokenResolver
    let settings: RelaySettings

    func redeem(token: String, origin: String?, on eventLoop: any EventLoop) -> EventLoopFuture<GatewayTarget> {
        let promise = eventLoop.makePromise(of: GatewayTarget.self)
        let resolver = self.resolver
        promise.completeWithTask { try await resolver.redeem(token: token, origin: origin) }
        return promise.futureResult
    }

    func connect(
        to target: GatewayTarget, relay: WebSocketRelayHandler, on eventLoop: any EventLoop
    ) -> EventLoopFuture<any Channel> {
        let relay = NIOLoopBound(relay, eventLoop: eventLoop)
        let metrics = self.settings.metrics
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(self.settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.writeBufferWaterMark, value: self.settings.waterMark)
            .channelOption(.recvAllocator, value: self.settings.targetReadAllocator)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TCPRelayHandler(partner: relay.value, metrics: metrics))
                }
            }
            .connect(host: target.host, port: target.port)
    }
}
