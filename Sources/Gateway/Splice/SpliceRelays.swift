internal import CSplice
import Glibc
import NIOCore
import Synchronization

/// The splice(2) data path: relays between a client socket and a target it connects to, moving bytes through a pipe
/// per direction so they never enter user space. Worker threads of the C engine (`CSplice`) run the sockets; this
/// type hands relays to it and routes each relay's events back to whoever opened it.
final class SpliceRelays: Sendable {
    /// What became of a relay.
    enum Event: Sendable, Equatable {
        /// Connected; the opening reply went to the client and bytes flow.
        case opened
        /// Connecting failed with `errno`; the failure reply went to the client and both ends are closed.
        case failed(errno: Int32)
        /// The relay ended (`errno` 0 when both sides finished, `ETIMEDOUT` idle, `ECANCELED` closed on request);
        /// both ends are closed. The last event of an opened relay. A WebSocket relay's `closeCode` is that of the
        /// Close frame it sent the browser, 0 when it sent none.
        case closed(errno: Int32, bytesUp: UInt64, bytesDown: UInt64, closeCode: UInt16 = 0)

        /// True for the relay's last event.
        var isFinal: Bool { self != .opened }
    }

    /// What becomes of a request the engine read from a client it accepted.
    enum Verdict: Sendable {
        /// Connect to this endpoint, send it the preface (at most 128 bytes; empty: none) and relay; the client gets
        /// `Options.tunnelOpenedReply` once it answers.
        case grant(SocketAddress, preface: [UInt8] = [])
        /// Send this complete response (at most 512 bytes) and close.
        case refuse([UInt8])
        /// Decided later with `grant(_:to:)` or `refuse(_:with:)`, before `Options.requestTimeout`.
        case pending
    }

    /// How the engine treats its relays.
    struct Options: Sendable {
        /// Worker threads, each with its own epoll loop.
        var workers = System.coreCount
        /// Bytes each direction may hold (its pipe's size).
        var bufferLimit = 256 * 1024
        /// A relay that moves nothing either way for this long is closed.
        var idleTimeout: Duration = .seconds(3600)
        /// How long connecting to the target may take.
        var connectTimeout: Duration = .seconds(5)
        /// WebSocket relays: the largest frame payload either way.
        var maxFrameSize = 1 << 20
        /// WebSocket relays: how often the browser is pinged.
        var pingInterval: Duration = .seconds(30)
        /// WebSocket relays: how long our Close waits for the browser's answer.
        var closeGrace: Duration = .seconds(1)
        /// Accepted clients: how long reading and deciding their request may take.
        var requestTimeout: Duration = .seconds(10)
        /// Accepted clients: what a granted one is sent once its target answers, and when it does not.
        var tunnelOpenedReply: [UInt8] = []
        var tunnelFailedReply: [UInt8] = []
    }

    /// The relays' event handlers: one per opened relay, and the request desk for accepted ones.
    private final class Router: Sendable {
        let handlers = Mutex<[UInt64: @Sendable (Event) -> Void]>([:])
        let desk: (any SpliceRequestDesk)?

        init(desk: (any SpliceRequestDesk)?) {
            self.desk = desk
        }

        func deliver(_ relay: UInt64, _ event: Event) {
            let handler = self.handlers.withLock { handlers in
                event.isFinal ? handlers.removeValue(forKey: relay) : handlers[relay]
            }
            if let handler {
                handler(event)
            } else {
                self.desk?.relay(relay, did: event)
            }
        }
    }

    /// The engine is safe to call from any thread: requests are queued to its workers under a lock.
    private struct Engine: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let engine: Engine
    private let router: Unmanaged<Router>

    /// Starts the engine's workers; `desk` admits the clients accepted with `listen(on:)`, decides their requests
    /// and hears of their relays.
    ///
    /// - Throws: `IOError` when a thread, epoll instance or eventfd could not be made.
    init(_ options: Options, desk: (any SpliceRequestDesk)? = nil) throws {
        let router = Unmanaged.passRetained(Router(desk: desk))
        var settings = SpliceEngineOptions()
        settings.workers = Int32(max(1, options.workers))
        settings.pipe_bytes = Int32(clamping: options.bufferLimit)
        settings.idle_timeout_ms = Int32(clamping: options.idleTimeout.milliseconds)
        settings.connect_timeout_ms = Int32(clamping: options.connectTimeout.milliseconds)
        settings.websocket_max_frame = Int32(clamping: options.maxFrameSize)
        settings.websocket_ping_interval_ms = Int32(clamping: options.pingInterval.milliseconds)
        settings.websocket_close_grace_ms = Int32(clamping: options.closeGrace.milliseconds)
        settings.request_timeout_ms = Int32(clamping: options.requestTimeout.milliseconds)
        settings.admit_callback = { context, relay, peer, answer in
            guard let answer else { return }
            let router = Unmanaged<Router>.fromOpaque(context!).takeUnretainedValue()
            let client = peer.map { String(cString: $0) } ?? "unknown"
            if let refusal = router.desk?.admit(relay, client: client) { answer.pointee.fill(with: .refuse(refusal)) }
        }
        settings.request_callback = { context, relay, head, length, answer in
            guard let answer else { return }
            let router = Unmanaged<Router>.fromOpaque(context!).takeUnretainedValue()
            let verdict =
                router.desk?.decide(relay, head: UnsafeRawBufferPointer(start: head, count: length))
                ?? .refuse(TunnelRefusal.shuttingDown.response)  // no desk: nothing can decide it
            answer.pointee.fill(with: verdict)
        }
        settings.context = router.toOpaque()
        settings.callback = { context, relay, event, error, up, down, closeCode in
            let router = Unmanaged<Router>.fromOpaque(context!).takeUnretainedValue()
            switch event {
            case SPLICE_OPENED: router.deliver(relay, .opened)
            case SPLICE_FAILED: router.deliver(relay, .failed(errno: error))
            default: router.deliver(relay, .closed(errno: error, bytesUp: up, bytesDown: down, closeCode: closeCode))
            }
        }
        let started = options.tunnelOpenedReply.withUnsafeBytes { opened in
            options.tunnelFailedReply.withUnsafeBytes { failed in
                settings.tunnel_opened_reply = opened.baseAddress
                settings.tunnel_opened_reply_length = opened.count
                settings.tunnel_failed_reply = failed.baseAddress
                settings.tunnel_failed_reply_length = failed.count
                return splice_engine_start(&settings)  // copies the replies
            }
        }
        guard let pointer = started else {
            router.release()
            throw IOError(errnoCode: errno, reason: "starting the splice relay workers")
        }
        self.engine = Engine(pointer: pointer)
        self.router = router
    }

    /// Connects to `target` and relays between it and `client`, which the relays now own (it is closed on failure
    /// too). `events` hears of the relay on a worker thread, ending with `.failed` or `.closed`.
    ///
    /// - Parameters:
    ///   - id: the relay's id, unique among open relays; `close(_:)` takes it.
    ///   - webSocket: the client is a browser whose WebSocket upgrade was accepted: bytes are framed both ways.
    ///   - openedReply: sent to the client once connected; `failedReply` when connecting fails.
    ///   - earlyBytes: what the client sent after its request, passed on once connected (through the frame parser
    ///     for a WebSocket).
    ///   - preface: what the target is sent first once connected, raw (a PROXY protocol line naming the client).
    func open(
        _ id: UInt64, client: CInt, target: SocketAddress, webSocket: Bool = false, openedReply: [UInt8],
        failedReply: [UInt8], earlyBytes: [UInt8], preface: [UInt8] = [], events: @escaping @Sendable (Event) -> Void
    ) throws {
        let router = self.router.takeUnretainedValue()
        router.handlers.withLock { $0[id] = events }
        let result = target.withSockAddr { address, length in
            openedReply.withUnsafeBytes { opened in
                failedReply.withUnsafeBytes { failed in
                    earlyBytes.withUnsafeBytes { early in
                        preface.withUnsafeBytes { first in
                            splice_engine_open(
                                self.engine.pointer, webSocket ? SPLICE_WEBSOCKET : SPLICE_TUNNEL, id, client, address,
                                socklen_t(length), first.baseAddress, first.count, opened.baseAddress, opened.count,
                                failed.baseAddress, failed.count, early.baseAddress, early.count)
                        }
                    }
                }
            }
        }
        if result != 0 {
            let code = errno
            router.handlers.withLock { _ = $0.removeValue(forKey: id) }
            throw IOError(errnoCode: code, reason: "opening a splice relay")
        }
    }

    /// Accepts clients on the listening socket `descriptor` (which stays the caller's) on the workers: the desk
    /// admits each, then decides its request. Relay ids are the engine's.
    ///
    /// - Throws: `IOError` when the socket cannot be made non-blocking.
    func listen(on descriptor: CInt) throws {
        if splice_engine_listen(self.engine.pointer, descriptor) != 0 {
            throw IOError(errnoCode: errno, reason: "accepting on the splice relays")
        }
    }

    /// Stops accepting; returns once no worker touches the listening socket any more.
    func stopListening() {
        splice_engine_unlisten(self.engine.pointer)
    }

    /// Grants a request the desk left pending: the relay connects to `target` and sends it `preface` first.
    /// Ignored once the relay is gone.
    func grant(_ id: UInt64, to target: SocketAddress, preface: [UInt8] = []) {
        target.withSockAddr { address, length in
            preface.withUnsafeBytes { first in
                splice_engine_grant(self.engine.pointer, id, address, socklen_t(length), first.baseAddress, first.count)
            }
        }
    }

    /// Refuses a request the desk left pending with a complete response. Ignored once the relay is gone.
    func refuse(_ id: UInt64, with reply: [UInt8]) {
        reply.withUnsafeBytes { splice_engine_refuse(self.engine.pointer, id, $0.baseAddress, $0.count) }
    }

    /// Asks for a relay to be closed; its handler hears `.closed` (or `.failed` while still connecting).
    func close(_ id: UInt64) {
        splice_engine_close(self.engine.pointer, id)
    }

    /// Ends a WebSocket relay with a Close frame carrying `refusal`: the target is closed at once, the browser's
    /// connection once it answers or the close grace passed; its handler then hears `.closed`.
    func close(_ id: UInt64, with refusal: GatewayRefusal) {
        let reason = Array(WebSocketFraming.truncated(refusal.reason, maxBytes: 123).utf8)
        reason.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { text in
                splice_engine_close_websocket(self.engine.pointer, id, refusal.closeCode, text.baseAddress, text.count)
            }
        }
    }

    /// Closes every relay (their handlers hear of it) and stops the workers. Call once, last.
    func stop() {
        splice_engine_stop(self.engine.pointer)
        self.router.release()
    }
}

extension Duration {
    /// Whole milliseconds, for C interfaces.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Admits the clients the splice relays accept (`listen(on:)`) and decides their requests, on the worker thread
/// that accepted each, and hears of those relays' events. It must answer quickly: a slow decision belongs in
/// `.pending`.
protocol SpliceRequestDesk: Sendable {
    /// A refusal to answer relay `relay`'s request with, from `client` (its address), instead of deciding it; nil to
    /// read and decide the request.
    func admit(_ relay: UInt64, client: String) -> [UInt8]?
    /// What becomes of relay `relay`'s request, whose head (through its blank line) is `head`.
    func decide(_ relay: UInt64, head: UnsafeRawBufferPointer) -> SpliceRelays.Verdict
    /// An event of an accepted relay; `.failed` or `.closed` is its last.
    func relay(_ relay: UInt64, did event: SpliceRelays.Event)
}

extension SpliceRequestAnswer {
    /// Writes a verdict where the engine reads it.
    fileprivate mutating func fill(with verdict: SpliceRelays.Verdict) {
        switch verdict {
        case .grant(let address, let preface):
            self.verdict = SPLICE_GRANT
            self.preface_length = withUnsafeMutableBytes(of: &self.preface) { destination in
                let count = min(preface.count, destination.count)
                preface.withUnsafeBytes { destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
                return count
            }
            self.target_length = address.withSockAddr { source, length in
                withUnsafeMutableBytes(of: &self.target) { destination in
                    let count = min(length, destination.count)
                    destination.copyMemory(from: UnsafeRawBufferPointer(start: source, count: count))
                    return socklen_t(count)
                }
            }
        case .refuse(let reply):
            self.verdict = SPLICE_REFUSE
            self.reply_length = withUnsafeMutableBytes(of: &self.reply) { destination in
                let count = min(reply.count, destination.count)
                reply.withUnsafeBytes { destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
                return count
            }
        case .pending:
            self.verdict = SPLICE_PENDING
        }
    }
}
