import NIOCore
import SpiceLink

/// A main channel's messages from the desktop on their way to the client, through `SpiceMainChannelFilter`: the SPICE
/// session id `MAIN_INIT` names is reported once, and migration messages never reach the client.
final class SpiceMainChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private var filter: SpiceMainChannelFilter
    private let initialized: (UInt32) -> Void
    private var reported = false

    init(miniHeader: Bool, initialized: @escaping (UInt32) -> Void) {
        self.filter = SpiceMainChannelFilter(miniHeader: miniHeader)
        self.initialized = initialized
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let passed: [UInt8]
        do {
            passed = try filter.filter(Self.unwrapInboundIn(data).readableBytesView)
        } catch {
            return context.close(promise: nil)
        }
        if !reported, let sessionID = filter.sessionID {
            reported = true
            initialized(sessionID)
        }
        guard !passed.isEmpty else { return }
        var buffer = context.channel.allocator.buffer(capacity: passed.count)
        buffer.writeBytes(passed)
        context.fireChannelRead(Self.wrapInboundOut(buffer))
    }
}
