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
        /// both ends are closed. The last event of an opened relay.
        case closed(errno: Int32, bytesUp: UInt64, bytesDown: UInt64)

        /// True for the relay's last event.
        var isFinal: Bool { self != .opened }
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
    }

    /// The relays' event handlers and the C engine they run on.
    private final class Router: Sendable {
        let handlers = Mutex<[UInt64: @Sendable (Event) -> Void]>([:])

        func deliver(_ relay: UInt64, _ event: Event) {
            let handler = self.handlers.withLock { handlers in
                event.isFinal ? handlers.removeValue(forKey: relay) : handlers[relay]
            }
            handler?(event)
        }
    }

    /// The engine is safe to call from any thread: requests are queued to its workers under a lock.
    private struct Engine: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    private let engine: Engine
    private let router: Unmanaged<Router>

    /// Starts the engine's workers.
    ///
    /// - Throws: `IOError` when a thread, epoll instance or eventfd could not be made.
    init(_ options: Options) throws {
        let router = Unmanaged.passRetained(Router())
        var settings = SpliceEngineOptions()
        settings.workers = Int32(max(1, options.workers))
        settings.pipe_bytes = Int32(clamping: options.bufferLimit)
        settings.idle_timeout_ms = Int32(clamping: options.idleTimeout.milliseconds)
        settings.connect_timeout_ms = Int32(clamping: options.connectTimeout.milliseconds)
        settings.websocket_max_frame = Int32(clamping: options.maxFrameSize)
        settings.websocket_ping_interval_ms = Int32(clamping: options.pingInterval.milliseconds)
        settings.websocket_close_grace_ms = Int32(clamping: options.closeGrace.milliseconds)
        settings.context = router.toOpaque()
        settings.callback = { context, relay, event, error, up, down in
            let router = Unmanaged<Router>.fromOpaque(context!).takeUnretainedValue()
            switch event {
            case SPLICE_OPENED: router.deliver(relay, .opened)
            case SPLICE_FAILED: router.deliver(relay, .failed(errno: error))
            default: router.deliver(relay, .closed(errno: error, bytesUp: up, bytesDown: down))
            }
        }
        guard let pointer = splice_engine_start(&settings) else {
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
    func open(
        _ id: UInt64, client: CInt, target: SocketAddress, webSocket: Bool = false, openedReply: [UInt8],
        failedReply: [UInt8], earlyBytes: [UInt8], events: @escaping @Sendable (Event) -> Void
    ) throws {
        let router = self.router.takeUnretainedValue()
        router.handlers.withLock { $0[id] = events }
        let result = target.withSockAddr { address, length in
            openedReply.withUnsafeBytes { opened in
                failedReply.withUnsafeBytes { failed in
                    earlyBytes.withUnsafeBytes { early in
                        splice_engine_open(
                            self.engine.pointer, webSocket ? SPLICE_WEBSOCKET : SPLICE_TUNNEL, id, client, address,
                            socklen_t(length), opened.baseAddress, opened.count, failed.baseAddress, failed.count,
                            early.baseAddress, early.count)
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
