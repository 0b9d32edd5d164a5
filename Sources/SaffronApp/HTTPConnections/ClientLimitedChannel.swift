import HummingbirdCore
import Logging
import NIOCore

/// The API's child channel (HTTP/1.1, or TLS around it) with its client's share counted first: a connection beyond
/// `ClientConnectionShares.perClient` is closed as soon as it is active, before TLS or HTTP read a byte of it.
struct ClientLimitedChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let shares: ClientConnectionShares

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admission = self.shares.admit(channel.remoteAddress)
        switch admission {
        case .counted(let client):
            let shares = self.shares
            channel.closeFuture.whenComplete { _ in shares.release(client) }
        case .uncounted:
            break
        case .refused(let first):
            logger.log(
                level: first ? .warning : .debug, "HTTP client holds its share of connections; closing a new one",
                metadata: [
                    "peer": "\(channel.remoteAddress?.ipAddress ?? "unknown")", "connectionsPerClient": "\(self.shares.perClient)",
                ])
        }
        return channel.eventLoop.makeCompletedFuture {
            if case .refused = admission { try channel.pipeline.syncOperations.addHandler(CloseOnActiveHandler()) }
        }.flatMap {
            self.base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await self.base.handle(value: value, logger: logger)
    }
}

/// Closes its channel as soon as it is active: the child initializer runs before the accepted socket is registered,
/// when it cannot be closed yet.
final class CloseOnActiveHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.close(promise: nil) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
