import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A small WebSocket client for tests, built on NIO the way a browser behaves: HTTP/1.1 upgrade through
/// `NIOWebSocketClientUpgrader`, masked frames, pings answered, Close frames echoed.
///
/// Self-contained so other test targets (end-to-end) can copy it. Every wait has a timeout and fails instead of hanging.
final class TestWebSocketClient: Sendable {
    /// Something the server sent, in order.
    enum Event: Sendable {
        case binary(ByteBuffer)
        case text(ByteBuffer)
        case ping(ByteBuffer)
        case pong(ByteBuffer)
        case close(code: UInt16?, reason: String)
        case disconnected
    }

    /// The server answered the upgrade request with something other than 101.
    struct UpgradeRefused: Error {
        var status: HTTPResponseStatus
    }

    /// A wait ran out of time.
    struct Timeout: Error {
        var what: String
    }

    /// The connection ended before the expected event.
    struct UnexpectedEvent: Error {
        var event: Event
    }

    let channel: any Channel
    /// The `Sec-WebSocket-Protocol` the server selected, if any.
    let subprotocol: String?
    private let collector: NIOLoopBound<WebSocketEventCollector>

    private init(channel: any Channel, subprotocol: String?, collector: NIOLoopBound<WebSocketEventCollector>) {
        self.channel = channel
        self.subprotocol = subprotocol
        self.collector = collector
    }

    /// Connects to `ws://host:port/path`, offering `subprotocols`; throws `UpgradeRefused` for a non-101 answer.
    static func connect(
        host: String = "127.0.0.1", port: Int, path: String, subprotocols: [String] = ["binary"],
        origin: String? = "http://127.0.0.1", timeout: TimeAmount = .seconds(30)
    ) async throws -> TestWebSocketClient {
        var headers = HTTPHeaders([("Host", "\(host):\(port)"), ("Content-Length", "0")])
        if !subprotocols.isEmpty { headers.add(name: "Sec-WebSocket-Protocol", value: subprotocols.joined(separator: ", ")) }
        if let origin { headers.add(name: "Origin", value: origin) }
        let requestHead = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)

        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let upgraded = eventLoop.makePromise(of: (HTTPResponseHead, NIOLoopBound<WebSocketEventCollector>).self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.configure(channel, request: requestHead, upgraded: upgraded)
                    }
                }
                .connect(host: host, port: port).get()
        } catch {
            upgraded.fail(error)
            throw error
        }
        let timer = eventLoop.scheduleTask(in: timeout) { upgraded.fail(Timeout(what: "upgrade")) }
        defer { timer.cancel() }
        do {
            let (response, collector) = try await upgraded.futureResult.get()
            return TestWebSocketClient(
                channel: channel, subprotocol: response.headers.first(name: "Sec-WebSocket-Protocol"),
                collector: collector
            )
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func configure(
        _ channel: any Channel, request: HTTPRequestHead,
        upgraded: EventLoopPromise<(HTTPResponseHead, NIOLoopBound<WebSocketEventCollector>)>
    ) throws {
        let requesterName = "test-client.upgrade-request"
        let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: 1 << 24, automaticErrorHandling: false) {
            channel, response in
            channel.eventLoop.makeCompletedFuture {
                let collector = WebSocketEventCollector()
                try channel.pipeline.syncOperations.addHandler(collector)
                upgraded.succeed((response, NIOLoopBound(collector, eventLoop: channel.eventLoop)))
            }
        }
        // Frames may arrive in the same read as the 101 response: forward them instead of dropping them.
        try channel.pipeline.syncOperations.addHTTPClientHandlers(
            leftOverBytesStrategy: .forwardBytes,
            withClientUpgrade: (
                upgraders: [upgrader],
                completionHandler: { context in
                    let pipeline = context.pipeline.syncOperations
                    if let requester = try? pipeline.context(name: requesterName) {
                        pipeline.removeHandler(context: requester, promise: nil)
                    }
                }
            )
        )
        try channel.pipeline.syncOperations.addHandler(UpgradeRequester(head: request, upgraded: upgraded), name: requesterName)
    }

    /// Sends one masked frame.
    func send(_ bytes: [UInt8], opcode: WebSocketOpcode = .binary, fin: Bool = true) async throws {
        try await self.send(ByteBuffer(bytes: bytes), opcode: opcode, fin: fin)
    }

    /// Sends one masked frame.
    func send(_ buffer: ByteBuffer, opcode: WebSocketOpcode = .binary, fin: Bool = true) async throws {
        let frame = WebSocketFrame(fin: fin, opcode: opcode, maskKey: .random(), data: buffer)
        try await self.channel.writeAndFlush(frame)
    }

    /// Writes a masked frame without waiting for it to reach the socket (for bulk sends).
    func write(_ buffer: ByteBuffer) {
        let frame = WebSocketFrame(fin: true, opcode: .binary, maskKey: .random(), data: buffer)
        self.channel.writeAndFlush(frame, promise: nil)
    }

    /// Starts the closing handshake with the given code.
    func sendClose(code: UInt16 = 1000) async throws {
        var data = self.channel.allocator.buffer(capacity: 2)
        data.writeInteger(code)
        try await self.send(data, opcode: .connectionClose)
    }

    /// The next event from the server.
    func nextEvent(timeout: TimeAmount = .seconds(30)) async throws -> Event {
        let collector = self.collector
        return try await self.channel.eventLoop.flatSubmit {
            collector.value.next(deadline: .now() + timeout)
        }.get()
    }

    /// Reads binary payloads until `count` bytes arrived; pings and pongs are skipped, anything else fails.
    func receiveBytes(count: Int, timeout: TimeAmount = .seconds(30)) async throws -> [UInt8] {
        let deadline = NIODeadline.now() + timeout
        var received: [UInt8] = []
        received.reserveCapacity(count)
        while received.count < count {
            switch try await self.nextEvent(timeout: deadline - .now()) {
            case .binary(let buffer), .text(let buffer): received += buffer.readableBytesView
            case .ping, .pong: continue
            case let other: throw UnexpectedEvent(event: other)
            }
        }
        return received
    }

    /// Waits for the server's Close frame, skipping data and pings; returns its code and reason.
    func receiveClose(timeout: TimeAmount = .seconds(30)) async throws -> (code: UInt16?, reason: String) {
        let deadline = NIODeadline.now() + timeout
        while true {
            switch try await self.nextEvent(timeout: deadline - .now()) {
            case .close(let code, let reason): return (code, reason)
            case .disconnected: throw UnexpectedEvent(event: .disconnected)
            default: continue
            }
        }
    }

    /// Waits until the TCP connection is closed.
    func waitForDisconnect(timeout: TimeAmount = .seconds(30)) async throws {
        try await self.channel.closeFuture.withTimeout(timeout, what: "disconnect").get()
    }

    /// Drops the TCP connection without a closing handshake.
    func close() async {
        try? await self.channel.close()
    }
}

extension EventLoopFuture where Value: Sendable {
    /// This future, or a `TestWebSocketClient.Timeout` failure if it does not complete in time.
    func withTimeout(_ timeout: TimeAmount, what: String) -> EventLoopFuture<Value> {
        let promise = self.eventLoop.makePromise(of: Value.self)
        let timer = self.eventLoop.scheduleTask(in: timeout) { promise.fail(TestWebSocketClient.Timeout(what: what)) }
        self.whenComplete { result in
            timer.cancel()
            promise.completeWith(result)
        }
        return promise.futureResult
    }
}

/// Sends the upgrade request once connected and reports a non-101 answer.
private final class UpgradeRequester: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let upgraded: EventLoopPromise<(HTTPResponseHead, NIOLoopBound<WebSocketEventCollector>)>

    init(head: HTTPRequestHead, upgraded: EventLoopPromise<(HTTPResponseHead, NIOLoopBound<WebSocketEventCollector>)>) {
        self.head = head
        self.upgraded = upgraded
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(Self.wrapOutboundOut(.head(self.head)), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let response) = Self.unwrapInboundIn(data) {
            self.upgraded.fail(TestWebSocketClient.UpgradeRefused(status: response.status))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.upgraded.fail(TestWebSocketClient.UnexpectedEvent(event: .disconnected))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.upgraded.fail(error)
        context.close(promise: nil)
    }
}

/// Queues what the server sends and hands it out one event at a time; answers pings and Close like a browser.
final class WebSocketEventCollector: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private var eventLoop: (any EventLoop)?
    private var events = CircularBuffer<TestWebSocketClient.Event>()
    private var waiter: (promise: EventLoopPromise<TestWebSocketClient.Event>, timer: Scheduled<Void>)?
    private var sentClose = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.eventLoop = context.eventLoop
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        switch frame.opcode {
        case .binary, .continuation: self.deliver(.binary(frame.unmaskedData))
        case .text: self.deliver(.text(frame.unmaskedData))
        case .pong: self.deliver(.pong(frame.unmaskedData))
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(Self.wrapOutboundOut(pong), promise: nil)
            self.deliver(.ping(frame.unmaskedData))
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self)
            let reason = data.readString(length: data.readableBytes) ?? ""
            if !self.sentClose {
                self.sentClose = true
                var answer = context.channel.allocator.buffer(capacity: 2)
                if let code { answer.writeInteger(code) }
                let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: answer)
                context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
            }
            self.deliver(.close(code: code, reason: reason))
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.deliver(.disconnected)
        context.fireChannelInactive()
    }

    private func deliver(_ event: TestWebSocketClient.Event) {
        if let waiter = self.waiter {
            self.waiter = nil
            waiter.timer.cancel()
            waiter.promise.succeed(event)
        } else {
            self.events.append(event)
        }
    }

    func next(deadline: NIODeadline) -> EventLoopFuture<TestWebSocketClient.Event> {
        guard let eventLoop = self.eventLoop else { preconditionFailure("collector not in a pipeline") }
        if let event = self.events.popFirst() { return eventLoop.makeSucceededFuture(event) }
        precondition(self.waiter == nil, "one waiter at a time")
        let promise = eventLoop.makePromise(of: TestWebSocketClient.Event.self)
        let timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.waiter = nil
            promise.fail(TestWebSocketClient.Timeout(what: "WebSocket event"))
        }
        self.waiter = (promise, timer)
        return promise.futureResult
    }
}
