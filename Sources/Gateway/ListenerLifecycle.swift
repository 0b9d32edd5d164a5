import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The life of a gateway's listener, shared by the WebSocket gateway and the CONNECT proxy: bind, report the port,
/// serve until graceful shutdown or cancellation, then close every connection and wait for them.
struct ListenerLifecycle {
    let name: String
    let host: String
    let port: Int
    let registry: ConnectionRegistry
    let logger: Logger

    /// Binds `bootstrap`, succeeds `bound` with the port (or fails it), serves, and closes the registry's connections
    /// with `refusal` on the way out.
    func serve(_ bootstrap: ServerBootstrap, bound: EventLoopPromise<Int>, closingWith refusal: GatewayRefusal) async throws {
        let server: any Channel
        do {
            server = try await bootstrap.bind(host: self.host, port: self.port).get()
        } catch {
            bound.fail(error)
            throw error
        }
        let port = server.localAddress?.port ?? self.port
        bound.succeed(port)
        self.logger.info("\(self.name) listening", metadata: ["host": "\(self.host)", "port": "\(port)"])

        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                try? await server.closeFuture.get()
            } onGracefulShutdown: {
                server.close(promise: nil)
            }
        } onCancel: {
            server.close(promise: nil)
        }

        let closing = self.registry.terminateAll(with: refusal)
        self.logger.info("\(self.name) stopping", metadata: ["connections": "\(closing.count)"])
        try? await EventLoopFuture.andAllComplete(closing, on: server.eventLoop).get()
    }
}
