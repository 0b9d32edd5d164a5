import Logging
import NIOCore
import NIOPosix
import Synchronization

extension ConnectProxy {
    /// Runs the CONNECT handshake of an accepted socket on NIO, then hands the tunnel to `relays`. Called on the
    /// accept thread.
    func accepted(_ descriptor: CInt, relays: SpliceRelays) {
        let id = self.relayIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let (settings, authorizer, registry, limiter, logger) =
            (self.settings, self.authorizer, self.registry, self.limiter, self.logger)
        SplicedHandshake.start(
            descriptor, id: id, webSocket: false, relays: relays, metrics: self.metrics, on: self.group.next(),
            timeout: settings.handshakeTimeout, logger: logger
        ) { channel, connection in
            try ProxyPipeline.configure(
                channel, connection: connection, authorizer: authorizer, registry: registry, limiter: limiter,
                logger: logger)
        }
    }
}

/// The handlers of one accepted connection after the HTTP codec, until its socket is handed to the splice relays.
enum ProxyPipeline {
    static func configure(
        _ channel: any Channel, connection: SplicedConnection, authorizer: any TunnelAuthorizer,
        registry: ConnectionRegistry, limiter: ClientConnectionLimiter, logger: Logger
    ) throws {
        let client = channel.remoteAddress?.ipAddress ?? "unknown"
        let sync = channel.pipeline.syncOperations
        guard let id = registry.add(closeFuture: connection.ended, terminate: { connection.terminate($0) }) else {
            try sync.addHandler(RefusingHandler(refusal: .shuttingDown))
            return
        }
        guard limiter.acquire(client) else {
            registry.remove(id)
            logger.notice("tunnel refused", metadata: ["client": "\(client)", "status": "429", "why": "too many connections"])
            try sync.addHandler(RefusingHandler(refusal: .tooManyConnections))
            return
        }
        connection.ended.whenComplete { _ in
            registry.remove(id)
            limiter.release(client)
        }
        try sync.addHandler(
            ConnectRequestHandler(
                clientAddress: client, authorizer: authorizer, connection: connection,
                tunnels: .init(registry: registry, id: id), logger: logger))
    }
}
