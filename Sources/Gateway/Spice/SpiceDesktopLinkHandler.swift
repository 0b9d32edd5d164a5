import Logging
import NIOCore
import SpiceLink

/// The desktop's side of a SPICE gateway connection until its channel is linked (`SpiceLinkConnector`): replays the
/// client's link message, answers the desktop's key with a ticket the broker sets on the desktop at that moment, and
/// reports the desktop's verdict. It never logs the ticket.
final class SpiceDesktopLinkHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Told once the desktop took the ticket: this handler's context, the desktop's reply, and what it sent after its
    /// verdict. The handler is then removed by the one told.
    typealias Linked = (ChannelHandlerContext, SpiceLinkReply, [UInt8]) -> Void

    private var connector: SpiceLinkConnector
    private let sessionID: String
    private let services: SpiceLinkServices
    private let linked: Linked
    private let failed: (SpiceLinkError) -> Void
    private var done = false

    init(
        linking message: SpiceLinkMessage, sessionID: String, services: SpiceLinkServices, linked: @escaping Linked,
        failed: @escaping (SpiceLinkError) -> Void
    ) {
        self.connector = SpiceLinkConnector(linking: message)
        self.sessionID = sessionID
        self.services = services
        self.linked = linked
        self.failed = failed
    }

    func channelActive(context: ChannelHandlerContext) {
        send(connector.linkBytes, on: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return context.fireChannelRead(data) }
        for action in connector.receive(Self.unwrapInboundIn(data).readableBytesView) {
            switch action {
            case .needTicket:
                fetchTicket(on: context)
            case .linked(let reply, let following):
                done = true
                linked(context, reply, following)
            case .failed(let error):
                fail(error, on: context)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done { fail(.error, on: context) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !done { fail(.error, on: context) }
        context.close(promise: nil)
    }

    /// Has the broker set a fresh ticket on the desktop (off the event loop), then presents it.
    private func fetchTicket(on context: ChannelHandlerContext) {
        let (resolver, sessionID, logger) = (services.resolver, self.sessionID, services.logger)
        let me = NIOLoopBound(self, eventLoop: context.eventLoop)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        Task {
            let ticket: String?
            do {
                ticket = try await resolver.desktopTicket(forSession: sessionID)
            } catch {
                logger.warning("SPICE gateway got no desktop ticket", metadata: ["session": "\(sessionID)", "error": "\(error)"])
                ticket = nil
            }
            me.eventLoop.execute { me.value.present(ticket, on: bound.value) }
        }
    }

    private func present(_ ticket: String?, on context: ChannelHandlerContext) {
        guard !done else { return }
        guard let ticket, let bytes = try? connector.present(ticket: Array(ticket.utf8)) else { return fail(.error, on: context) }
        send(bytes, on: context)
    }

    private func fail(_ error: SpiceLinkError, on context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        failed(error)
        context.close(promise: nil)
    }

    private func send(_ bytes: [UInt8], on context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
    }
}
