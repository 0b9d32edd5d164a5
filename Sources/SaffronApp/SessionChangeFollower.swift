import Broker
import ServiceLifecycle

/// Has the broker follow the session changes other brokers announce through the shared database
/// (`Broker.followSessionChanges`), until graceful shutdown. Run only over a store that announces them.
struct SessionChangeFollower: Service {
    let broker: Broker

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await broker.followSessionChanges()
        }
    }
}
