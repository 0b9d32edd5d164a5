import Foundation
import Logging
import ServiceLifecycle
import Store

/// Deletes expired login tokens now and then, so the token table holds live logins only.
struct ExpiredTokenSweeper: Service {
    let store: any Store
    let interval: Duration
    let logger: Logger

    /// Sweeps every `interval` until graceful shutdown, then returns without error.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let removed = try await store.deleteExpiredTokens(now: Date())
                    if removed > 0 { logger.debug("removed \(removed) expired login token(s)") }
                } catch {
                    logger.warning("could not remove expired login tokens: \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
