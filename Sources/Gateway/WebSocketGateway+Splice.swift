import Glibc
import Logging
import NIOCore
import NIOPosix
import Synchronization

extension WebSocketGateway {
    /// Runs the WebSocket handshake of an accepted socket on NIO, then hands the relay to `relays`. Called on the
    /// accept thread.
    func accepted(_ descriptor: CInt, relays: SpliceRelays) {
        guard let slot = self.listener.admit(peer: AcceptingSocket.peerAddress(of: descriptor)) else {
            close(descriptor)
            return
        }
        let id = self.relayIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let (resolver, registry, settings, logger) = (self.resolver, self.registry, self.settings, self.logger)
        SplicedHandshake.start(
            descriptor, id: id, webSocket: true, relays: relays, metrics: settings.metrics, on: self.group.next(),
            timeout: settings.handshakeTimeout, logger: logger
        ) { channel, connection in
            let sync = channel.pipeline.syncOperations
            guard let id = registry.add(closeFuture: connection.ended, terminate: { connection.terminate($0) })
            else {
                return channel.close(promise: nil)  // the gateway is shutting down
            }
            connection.ended.whenComplete { _ in
                registry.remove(id)
                withExtendedLifetime(slot) {}  // the gateway's place for the connection, held until its end
            }
            try sync.addHandler(
                WebSocketHandshakeHandler(
                    resolver: resolver, connection: connection, registration: .init(registry: registry, id: id),
                    deadline: channel.eventLoop.now + settings.handshakeTimeout, closeGrace: settings.closeGrace, peer: channel.remoteAddress?.description ?? "unknown",
                    logger: logger))
            try sync.addHandler(HTTPRefusalHandler())
        }
    }
}
