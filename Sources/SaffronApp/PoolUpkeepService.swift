import Broker
import Foundation
import Logging
import ServiceLifecycle

/// Runs pool upkeep (`Broker.tendPools`) every `interval`, and at once when the broker nudges it (a spare was taken,
/// a session ended, a policy changed), until graceful shutdown.
struct PoolUpkeepService: Service {
    let broker: Broker
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            logger.info("pool upkeep every \(interval): spares, unused sessions, idle desktops")
            while !Task.isCancelled {
                await broker.tendPools()
                await broker.upkeep.waitForNudge(orAtMost: interval)
            }
        }
    }
}
