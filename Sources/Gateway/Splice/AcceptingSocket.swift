internal import CSplice
import Glibc
import NIOCore
import Synchronization

/// A listening TCP socket whose connections are accepted on a thread of its own and handed over as descriptors.
///
/// NIO's server channels keep their sockets' descriptors to themselves; a gateway that passes accepted sockets on to
/// the splice relays needs them, so it accepts here and lends each socket to NIO only for its handshake.
final class AcceptingSocket: Sendable {
    /// The bound port (the chosen one when asked for port 0).
    let port: Int
    /// The listening socket, for relays that accept on it themselves; it stays open until this is freed.
    let descriptor: CInt
    private let acceptor = Mutex<Acceptor?>(nil)

    /// The running accept thread; its C state is touched only by `start` and `stop`, under the mutex.
    private struct Acceptor: @unchecked Sendable {
        let pointer: OpaquePointer
        let handler: Unmanaged<Handler>
    }

    private final class Handler: Sendable {
        let accepted: @Sendable (CInt) -> Void
        init(_ accepted: @escaping @Sendable (CInt) -> Void) { self.accepted = accepted }
    }

    /// Binds and listens on `host` (an address, or a name resolved once) and `port`.
    ///
    /// - Throws: `IOError` when the address does not resolve or the socket cannot be bound.
    init(host: String, port: Int, backlog: Int32) throws {
        let address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let family = address.protocol.rawValue
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var on: CInt = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<CInt>.size))
        let bound = address.withSockAddr { bind(descriptor, $0, socklen_t($1)) }
        guard bound == 0, listen(descriptor, backlog) == 0 else {
            let code = errno
            close(descriptor)
            throw IOError(errnoCode: code, reason: "binding \(host):\(port)")
        }
        self.descriptor = descriptor
        let boundPort = splice_bound_port(descriptor)
        self.port = boundPort > 0 ? Int(boundPort) : port
    }

    deinit {
        self.stop()
        close(self.descriptor)
    }

    /// Starts accepting; `accepted` runs on the accept thread with each new socket, which it then owns.
    func start(_ accepted: @escaping @Sendable (CInt) -> Void) throws {
        try self.acceptor.withLock { acceptor in
            precondition(acceptor == nil, "already accepting")
            let handler = Unmanaged.passRetained(Handler(accepted))
            let callback: SpliceAcceptCallback = { context, fd in
                Unmanaged<Handler>.fromOpaque(context!).takeUnretainedValue().accepted(fd)
            }
            guard let pointer = splice_acceptor_start(self.descriptor, callback, handler.toOpaque()) else {
                handler.release()
                throw IOError(errnoCode: errno, reason: "starting the accept thread")
            }
            acceptor = Acceptor(pointer: pointer, handler: handler)
        }
    }

    /// The address of an accepted socket's peer as text (an IPv4 client of a dual-stack socket as IPv4); nil when
    /// it has none.
    static func peerAddress(of descriptor: CInt) -> String? {
        var text = [CChar](repeating: 0, count: 64)
        guard splice_peer_address(descriptor, &text, text.count) else { return nil }
        return String(cString: text)
    }

    /// Stops accepting and waits for the accept thread; connections in the backlog are refused.
    func stop() {
        guard let running = self.acceptor.withLock({ acceptor in defer { acceptor = nil }; return acceptor }) else { return }
        splice_acceptor_stop(running.pointer)
        running.handler.release()
    }
}
