import CoreMetrics
import Logging
import NIOCore
import NIOPosix
import SpiceLink

/// The client's side of a SPICE gateway connection until its channel is linked: takes the client's link with a key of
/// the gateway's (`SpiceLinkAcceptor`), asks the broker which desktop the presented credential opens, decides the
/// channel against the credential's viewer (`SpiceViewerBook`), dials the desktop and has it linked with the desktop's
/// own ticket (`SpiceDesktopLinkHandler`). Once the desktop took that ticket the client is told OK and both channels
/// are glued by a pair of `TCPRelayHandler`s; every failure before that is the client's link error, and a close.
final class SpiceClientLinkHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Stage {
        /// Waiting for a ticket key from the pool; what the client sent meanwhile.
        case awaitingKey([UInt8])
        case accepting(SpiceLinkAcceptor)
        /// The credential is being looked up and the desktop linked; bytes the client sent meanwhile.
        case linking([UInt8])
        case relaying
        case closed
    }

    private let services: SpiceLinkServices
    private var stage = Stage.awaitingKey([])
    private var context: ChannelHandlerContext?
    private var registration: Int?
    private var client = "unknown"

    init(services: SpiceLinkServices) {
        self.services = services
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        client = context.channel.remoteAddress?.ipAddress.map(GatewayConfiguration.plainIPv4) ?? "unknown"
        let channel = context.channel
        registration = services.registry.add(closeFuture: channel.closeFuture) { _ in channel.close(promise: nil) }
        guard let registration else { return context.close(promise: nil) }
        let (book, registry) = (services.book, services.registry)
        channel.closeFuture.whenComplete { _ in
            if let session = registry.session(of: registration) { book.ended(connection: registration, session: session) }
            registry.remove(registration)
        }
        let me = NIOLoopBound(self, eventLoop: context.eventLoop)
        let deadline = context.eventLoop.scheduleTask(in: services.linkTimeout) { me.value.linkTimedOut() }
        channel.closeFuture.whenComplete { _ in deadline.cancel() }
        let keys = services.keys
        Task {
            let key = Result { try keys.take() }
            me.eventLoop.execute { me.value.keyArrived(key) }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = Array(Self.unwrapInboundIn(data).readableBytesView)
        switch stage {
        case .awaitingKey(let held): stage = .awaitingKey(held + bytes)
        case .accepting(var acceptor):
            let actions = acceptor.receive(bytes)
            stage = .accepting(acceptor)
            act(on: actions)
        case .linking(let held): stage = .linking(held + bytes)
        case .relaying: context.fireChannelRead(data)
        case .closed: break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let named = event as? ClientAddressNamed {
            client = named.address  // the client behind one of the broker's own relays
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        services.logger.debug("SPICE gateway connection failed", metadata: ["client": "\(client)", "error": "\(error)"])
        stage = .closed
        context.close(promise: nil)
    }

    private func keyArrived(_ key: Result<SpiceTicketKey, any Error>) {
        guard case .awaitingKey(let held) = stage else { return }
        switch key {
        case .success(let key):
            let capabilities = services.capabilities
            var acceptor = SpiceLinkAcceptor(key: key) { capabilities.offer(for: $0.channelType) }
            let actions = held.isEmpty ? [] : acceptor.receive(held)
            stage = .accepting(acceptor)
            act(on: actions)
        case .failure(let error):
            services.logger.error("SPICE gateway could not make a ticket key", metadata: ["error": "\(error)"])
            close()
        }
    }

    private func act(on actions: [SpiceLinkAcceptor.Action]) {
        for action in actions {
            switch action {
            case .send(let bytes):
                send(bytes, flush: true)
            case .refuse(let bytes, let error):
                refuse(bytes, why: "its link was refused: \(error)")
            case .authenticate(let message, let ticket):
                stage = .linking([])
                try? context?.channel.syncOptions?.setOption(.autoRead, value: false)  // until the desktop is linked
                authorize(message, credential: String(decoding: ticket, as: UTF8.self))
            }
        }
    }

    /// Looks the credential up off the event loop, then goes on with its answer.
    private func authorize(_ message: SpiceLinkMessage, credential: String) {
        guard let context else { return }
        let (resolver, client) = (services.resolver, self.client)
        let me = NIOLoopBound(self, eventLoop: context.eventLoop)
        Task {
            let answer: Result<SpiceConsoleTarget, any Error>
            do {
                answer = .success(try await resolver.desktop(forCredential: credential, clientAddress: client))
            } catch {
                answer = .failure(error)
            }
            me.eventLoop.execute { me.value.authorized(message, answer) }
        }
    }

    private func authorized(_ message: SpiceLinkMessage, _ answer: Result<SpiceConsoleTarget, any Error>) {
        guard case .linking = stage, let registration, let context else { return }
        let target: SpiceConsoleTarget
        switch answer {
        case .success(let found): target = found
        case .failure(let error): return refuse(SpiceLinkReply.result(.permissionDenied), why: "\(error)")
        }
        switch services.book.admit(
            connection: registration, session: target.sessionID, channelType: message.channelType,
            connectionID: message.connectionID)
        {
        case .refuse(let why):
            return refuse(SpiceLinkReply.result(.permissionDenied), why: why, session: target.sessionID)
        case .replace(let cut):
            services.logger.info(
                "SPICE viewer replaced by a new one", metadata: ["client": "\(client)", "session": "\(target.sessionID)"])
            services.registry.terminate(ids: cut, with: .sessionEnded("replaced by another viewer"))
        case .link:
            break
        }
        services.registry.assign(sessionID: target.sessionID, to: registration)  // ending the session now closes it
        dial(target, linking: message, on: context.eventLoop)
    }

    private func dial(_ target: SpiceConsoleTarget, linking message: SpiceLinkMessage, on loop: any EventLoop) {
        let me = NIOLoopBound(self, eventLoop: loop)
        let (services, registration) = (self.services, self.registration ?? 0)
        let channelType = message.channelType
        ClientBootstrap(group: loop)
            .connectTimeout(services.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: services.waterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let desktop = SpiceDesktopLinkHandler(
                        linking: message, sessionID: target.sessionID, services: services,
                        linked: { context, reply, following in
                            me.value.desktopLinked(
                                context, reply: reply, following: following, channelType: channelType,
                                session: target.sessionID, registration: registration)
                        },
                        failed: { error in me.value.desktopFailed(error, session: target.sessionID) })
                    try channel.pipeline.syncOperations.addHandler(desktop)
                }
            }
            .connect(host: target.host, port: target.port)
            .whenComplete { result in
                guard case .failure(let error) = result else { return }
                me.value.services.logger.notice(
                    "SPICE gateway could not reach a desktop",
                    metadata: ["session": "\(target.sessionID)", "target": "\(target.host):\(target.port)", "error": "\(error)"])
                me.value.refuse(SpiceLinkReply.result(.error), why: nil)
            }
    }

    /// The desktop took its ticket: the client hears OK, then both channels are glued (the main channel's messages
    /// from the desktop through `SpiceMainChannelHandler`), starting with what the desktop sent after its verdict.
    private func desktopLinked(
        _ desktop: ChannelHandlerContext, reply: SpiceLinkReply, following: [UInt8], channelType: UInt8, session: String,
        registration: Int
    ) {
        guard case .linking(let held) = stage, let context else { return desktop.close(promise: nil) }
        let isMain = channelType == SpiceViewerBook.mainChannel
        stage = .relaying
        let desktopChannel = desktop.channel
        context.channel.closeFuture.whenComplete { _ in desktopChannel.close(promise: nil) }
        send(SpiceLinkReply.result(nil), flush: true)
        services.capabilities.learn(reply.channelCapabilities, for: channelType)
        let (clientSide, desktopSide) = TCPRelayHandler.pair(metrics: services.metrics)
        do {
            try context.pipeline.syncOperations.addHandler(clientSide, position: .after(self))
            let desktopPipeline = desktop.pipeline.syncOperations
            try desktopPipeline.addHandler(desktopSide, position: .after(desktop.handler))
            if isMain {
                let book = services.book
                let filter = SpiceMainChannelHandler(miniHeader: reply.offers(.miniHeader)) { spiceSession in
                    book.mainInitialized(connection: registration, session: session, spiceSession: spiceSession)
                }
                try desktopPipeline.addHandler(filter, position: .after(desktop.handler))
            }
        } catch {
            return close()
        }
        services.metrics.opened.increment()
        services.logger.info(
            "SPICE channel linked through the gateway",
            metadata: ["client": "\(client)", "session": "\(session)", "main": "\(isMain)"])
        if !following.isEmpty {
            var buffer = desktop.channel.allocator.buffer(capacity: following.count)
            buffer.writeBytes(following)
            desktop.fireChannelRead(NIOAny(buffer))
            desktop.fireChannelReadComplete()
        }
        if !held.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: held.count)
            buffer.writeBytes(held)
            context.fireChannelRead(NIOAny(buffer))
            context.fireChannelReadComplete()
        }
        desktop.pipeline.syncOperations.removeHandler(context: desktop, promise: nil)
        try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        context.read()
        // Out of the client's relayed bytes from now on: the relay handler after it takes them.
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    private func desktopFailed(_ error: SpiceLinkError, session: String) {
        refuse(SpiceLinkReply.result(error), why: "the desktop refused its link: \(error)", session: session)
    }

    private func linkTimedOut() {
        guard case .relaying = stage else {
            services.logger.notice("SPICE gateway connection closed: its link took too long", metadata: ["client": "\(client)"])
            return close()
        }
    }

    private func send(_ bytes: [UInt8], flush: Bool) {
        guard let context else { return }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        if flush { context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil) } else { context.write(Self.wrapOutboundOut(buffer), promise: nil) }
    }

    /// Sends the client its link error and closes once it is out; `why` (nil: already logged) goes to the log.
    private func refuse(_ bytes: [UInt8], why: String?, session: String? = nil) {
        guard let context, case let current = stage else { return }
        if case .closed = current { return }
        stage = .closed
        if let why {
            var metadata: Logger.Metadata = ["client": "\(client)", "why": "\(why)"]
            if let session { metadata["session"] = "\(session)" }
            services.logger.notice("SPICE link refused", metadata: metadata)
        }
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        let channel = context.channel
        context.writeAndFlush(Self.wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    private func close() {
        stage = .closed
        context?.close(promise: nil)
    }
}
