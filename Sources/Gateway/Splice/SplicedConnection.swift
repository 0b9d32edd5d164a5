import CoreMetrics
import Glibc
import Logging
import NIOCore
import Synchronization

/// One accepted gateway connection from accept to its end: NIO reads and answers its request (a proxy's CONNECT, a
/// browser's WebSocket upgrade), then, once it is granted, the socket moves to the splice relays, which connect to
/// the target and carry the bytes.
///
/// It keeps a duplicate of the socket's descriptor while NIO holds the original, so that NIO can close its channel
/// at handoff without closing the socket; `ended` completes when the connection is over, wherever it was by then.
final class SplicedConnection: Sendable {
    private enum Stage {
        /// NIO runs the handshake on its channel; the duplicate descriptor waits here.
        case handshake(descriptor: CInt, channel: (any Channel)?)
        /// The splice relays own the socket.
        case relaying
        /// Closed.
        case ended
    }

    /// The registry id, also the relay's id.
    let id: Int
    /// The client is a browser: the relay carries WebSocket frames, and ending it sends a Close.
    let isWebSocket: Bool
    private let stage: Mutex<Stage>
    private let relays: SpliceRelays
    private let metrics: RelayMetrics
    private let endedPromise: EventLoopPromise<Void>

    /// Completes once the connection is closed, before or after its handoff.
    var ended: EventLoopFuture<Void> { self.endedPromise.futureResult }

    init(
        id: Int, isWebSocket: Bool, keptDescriptor: CInt, relays: SpliceRelays, metrics: RelayMetrics,
        eventLoop: any EventLoop
    ) {
        self.metrics = metrics
        self.id = id
        self.isWebSocket = isWebSocket
        self.stage = Mutex(.handshake(descriptor: keptDescriptor, channel: nil))
        self.relays = relays
        self.endedPromise = eventLoop.makePromise()
    }

    /// Records the NIO channel running the handshake, so `terminate` can close it.
    func attach(_ channel: any Channel) {
        self.stage.withLock { stage in
            if case .handshake(let descriptor, _) = stage { stage = .handshake(descriptor: descriptor, channel: channel) }
        }
    }

    /// The handshake's channel closed (or never opened): unless the socket was handed off, the connection is over.
    func handshakeEnded() {
        let descriptor: CInt? = self.stage.withLock { stage in
            guard case .handshake(let descriptor, _) = stage else { return nil }
            stage = .ended
            return descriptor
        }
        guard let descriptor else { return }
        close(descriptor)
        self.endedPromise.succeed()
    }

    /// Moves the socket to the splice relays, which connect to `target` (sending it `preface` first), answer the
    /// client (`openedReply`, or `failedReply` when the target cannot be reached) and carry the bytes (framed for a WebSocket); the caller
    /// then closes its channel. `opened` and `failed` are told of the relay; `closed` of its end (an errno, 0 for an
    /// orderly one, and the code of the Close frame a WebSocket relay sent, 0 when none).
    ///
    /// - Returns: false when the connection was closed meanwhile or the relay could not be opened.
    func handOff(
        to target: SocketAddress, openedReply: [UInt8], failedReply: [UInt8],
        earlyBytes: [UInt8], preface: [UInt8] = [], opened: @escaping @Sendable () -> Void, failed: @escaping @Sendable (Int32) -> Void,
        closed: @escaping @Sendable (Int32, UInt16) -> Void = { _, _ in }
    ) -> Bool {
        let descriptor: CInt? = self.stage.withLock { stage in
            guard case .handshake(let descriptor, _) = stage else { return nil }
            stage = .relaying
            return descriptor
        }
        guard let descriptor else { return false }
        let (promise, metrics) = (self.endedPromise, self.metrics)
        do {
            try self.relays.open(
                UInt64(self.id), client: descriptor, target: target, webSocket: self.isWebSocket, openedReply: openedReply,
                failedReply: failedReply, earlyBytes: earlyBytes, preface: preface
            ) { [weak self] event in
                switch event {
                case .opened:
                    metrics.opened.increment()
                    opened()
                case .failed(let code):
                    failed(code)
                case .closed(let code, let up, let down, let closeCode):
                    metrics.toDesktop.increment(by: Int(clamping: up))
                    metrics.toClient.increment(by: Int(clamping: down))
                    closed(code, closeCode)
                }
                if event.isFinal {
                    self?.stage.withLock { $0 = .ended }
                    promise.succeed()
                }
            }
            return true
        } catch {
            self.stage.withLock { $0 = .ended }
            promise.succeed()
            return false
        }
    }

    /// Closes the connection: the handshake's channel, or the relay (a WebSocket one with a Close frame carrying
    /// `refusal`). A WebSocket still in its handshake hears of `refusal` as a user event first, so a browser already
    /// sent its 101 gets the Close too.
    func terminate(_ refusal: GatewayRefusal) {
        let channel: (any Channel)?? = self.stage.withLock { stage in
            switch stage {
            case .handshake(_, let channel): return .some(channel)
            case .relaying: return .none
            case .ended: return .some(nil)
            }
        }
        switch channel {
        case .some(let channel?) where self.isWebSocket: channel.pipeline.fireUserInboundEventTriggered(refusal)
        case .some(let channel): channel?.close(promise: nil)
        case .none where self.isWebSocket: self.relays.close(UInt64(self.id), with: refusal)
        case .none: self.relays.close(UInt64(self.id))
        }
    }
}
