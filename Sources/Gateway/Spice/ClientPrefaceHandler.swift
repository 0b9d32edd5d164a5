import NIOCore

/// The client's address a `ClientPreface` line named, told to the handlers after `ClientPrefaceHandler`.
struct ClientAddressNamed: Sendable {
    let address: String
}

/// First on a SPICE gateway connection that came from this host (one of the broker's own relays): reads the
/// `ClientPreface` line it starts with, tells the handlers after it the client's address (`ClientAddressNamed`),
/// passes on what followed and leaves the pipeline. A connection without a well-formed line is closed.
final class ClientPrefaceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var held: ByteBuffer?

    /// Whether a connection from `peer` to `local` comes from this host: loopback, or from the address it reached.
    static func isLocal(peer: SocketAddress?, local: SocketAddress?) -> Bool {
        guard let peerIP = peer?.ipAddress else { return false }
        if peerIP.hasPrefix("127.") || peerIP == "::1" || peerIP.hasPrefix("::ffff:127.") { return true }
        return peerIP == local?.ipAddress
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        if var earlier = held {
            earlier.writeBuffer(&buffer)
            buffer = earlier
        }
        switch ClientPreface.read(buffer.readableBytesView) {
        case .incomplete:
            held = buffer
        case .malformed:
            held = nil
            context.close(promise: nil)
        case .client(let address, let length):
            held = nil
            buffer.moveReaderIndex(forwardBy: length)
            context.fireUserInboundEventTriggered(ClientAddressNamed(address: address))
            if buffer.readableBytes > 0 { context.fireChannelRead(Self.wrapInboundOut(buffer)) }
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }
}
