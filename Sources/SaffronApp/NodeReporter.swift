import Broker
import Foundation
import Logging
import ServiceLifecycle

/// Reports this broker to the database every `Broker.nodeReportInterval`, so that `saffron node list` shows which
/// brokers share it and which are up, until graceful shutdown.
struct NodeReporter: Service {
    let broker: Broker
    let logger: Logger

    func run() async throws {
        let startedAt = Date()
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await broker.reportNode(startedAt: startedAt)
                } catch {
                    logger.warning("could not report this node to the database: \(error)")
                }
                try? await Task.sleep(for: Broker.nodeReportInterval)
            }
        }
    }
}
