import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A gateway's listener and its live connections, shared by the WebSocket gateway and the CONNECT proxy: bind,
/// report the port, serve until graceful shutdown or cancellation, then close every connection and wait for them.
final class Listener: Sendable {
    /// Connections the kernel may hold completed but not yet accepted (capped by `net.core.somaxconn`): a burst of
    /// clients opening their channels at once must not overflow it, or their handshakes wait for a SYN retry.
    static let backlog: Int32 = 4096

    let name: String
    let host: String
    let port: Int
    let logger: Logger
    /// Its connections (shared with the other listeners of a service that has several).
    let registry: ConnectionRegistry
    /// The most connections open at once, handshakes included, and each client's share (see `admit(peer:)`).
    let gate: ConnectionGate
    private let bound: EventLoopPromise<Int>

    /// The key a peer's address counts under in its client's share; nil for peers counted in the total only.
    let client: @Sendable (String) -> String?

    init(
        name: String, host: String, port: Int, maxConnections: Int = .max, connectionsPerClient: Int = .max,
        client: @escaping @Sendable (String) -> String? = { $0 }, registry: ConnectionRegistry = ConnectionRegistry(),
        logger: Logger
    ) {
        self.registry = registry
        self.name = name
        self.host = host
        self.port = port
        self.logger = logger
        self.client = client
        self.gate = ConnectionGate(limit: maxConnections, perClient: connectionsPerClient)
        self.bound = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Int.self)
    }

    deinit {
        self.bound.fail(CancellationError())  // no-op when already bound; keeps `boundPort()` callers from hanging
    }

    /// Binds `bootstrap`, serves, and closes the registry's connections with `refusal` on the way out.
    func serve(_ bootstrap: ServerBootstrap, closingWith refusal: GatewayRefusal) async throws {
        let server: any Channel
        do {
            server = try await bootstrap.bind(host: self.host, port: self.port).get()
        } catch {
            self.bound.fail(error)
            throw error
        }
        self.listening(on: server.localAddress?.port ?? self.port)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await server.closeFuture.get()
            } onGracefulShutdown: {
                server.close(promise: nil)
            }
        } onCancel: {
            server.close(promise: nil)
        }
        await self.closeAll(with: refusal)
    }

    /// Binds a socket of its own, hands each accepted socket's descriptor to `accepted` (on the accept thread),
    /// serves until graceful shutdown or cancellation, and closes the registry's connections with `refusal`.
    func serve(accepting accepted: @escaping @Sendable (CInt) -> Void, closingWith refusal: GatewayRefusal) async throws {
        try await self.serve(startingWith: { try $0.start(accepted) }, stoppingWith: { $0.stop() }) {
            await self.closeAll(with: refusal)
        }
    }

    /// Binds a socket of its own and lets `start` take its connections (an accept thread, or the splice relays'
    /// workers), serves until graceful shutdown or cancellation, then runs `stop`, after which no connection is
    /// taken, and `closeConnections`, which closes every connection and returns once they are closed.
    func serve(
        startingWith start: (AcceptingSocket) throws -> Void, stoppingWith stop: (AcceptingSocket) -> Void,
        closingConnections closeConnections: () async -> Void
    ) async throws {
        let socket: AcceptingSocket
        do {
            socket = try AcceptingSocket(host: self.host, port: self.port, backlog: Self.backlog)
            try start(socket)
        } catch {
            self.bound.fail(error)
            throw error
        }
        self.listening(on: socket.port)
        try? await gracefulShutdown()  // returns on graceful shutdown, throws on cancellation: both end serving
        stop(socket)
        await closeConnections()
    }

    private func listening(on port: Int) {
        self.bound.succeed(port)
        var metadata: Logger.Metadata = ["host": "\(self.host)", "port": "\(port)"]
        if self.gate.limit < .max { metadata["maxConnections"] = "\(self.gate.limit)" }
        self.logger.info("\(self.name) listening", metadata: metadata)
    }

    /// A place for a connection just accepted from `peer` (an IP address), held until the connection's end (the
    /// slot's last reference); nil when the listener holds its most connections already, or the peer's client its
    /// share, and the caller closes the new one at once. Reaching either is logged once until there is room again.
    func admit(peer: String?) -> ConnectionGate.Slot? {
        let client = peer.flatMap(self.client)
        switch self.gate.enter(client: client) {
        case .admitted(let slot):
            return slot
        case .refused(let first):
            if first {
                self.logger.warning(
                    "\(self.name) holds its most connections; closing new ones until one ends",
                    metadata: ["maxConnections": "\(self.gate.limit)"])
            }
            return nil
        case .overShare(let first):
            if first {
                self.logger.notice(
                    "\(self.name): a client holds its share of connections; closing its new ones until one ends",
                    metadata: ["client": "\(client ?? "?")", "connectionsPerClient": "\(self.gate.perClient)"])
            }
            return nil
        }
    }

    private func closeAll(with refusal: GatewayRefusal) async {
        let closing = self.registry.terminateAll(with: refusal)
        self.logger.info("\(self.name) stopping", metadata: ["connections": "\(closing.count)"])
        try? await EventLoopFuture.andAllComplete(closing, on: MultiThreadedEventLoopGroup.singleton.any()).get()
    }

    /// The bound port once listening (useful with port 0), awaiting until bound; throws if binding failed.
    func boundPort() async throws -> Int {
        try await self.bound.futureResult.get()
    }

    /// Asks every connection of the session to close with `refusal` and returns, once they are closed, how many.
    func closeConnections(ofSession sessionID: String, with refusal: GatewayRefusal) async -> Int {
        let closing = self.registry.terminate(sessionID: sessionID, with: refusal)
        try? await EventLoopFuture.andAllComplete(closing, on: MultiThreadedEventLoopGroup.singleton.any()).get()
        return closing.count
    }
}
