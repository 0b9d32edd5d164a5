import Foundation
import Broker
import Logging
import ServiceLifecycle
import Store

/// Deletes what the store need not keep, now and then: expired login tokens, browser-console tokens and phone links,
/// login failures past the throttle's window, and audit log entries older than the configured retention.
struct StoreSweeper: Service {
    let store: any Store
    let interval: Duration
    /// How long audit entries are kept; nil keeps them all.
    let auditRetention: TimeInterval?
    let logger: Logger

    /// Sweeps every `interval` until graceful shutdown, then returns without error.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep(now: Date())
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func sweep(now: Date) async {
        do {
            let removed = try await store.deleteExpiredTokens(now: now)
            if removed > 0 { logger.debug("removed \(removed) expired login token(s)") }
        } catch {
            logger.warning("could not remove expired login tokens: \(error)")
        }
        do {
            let removed = try await store.deleteExpiredSessionGrants(now: now)
            if removed > 0 { logger.debug("removed \(removed) expired browser-console token(s) and phone link(s)") }
        } catch {
            logger.warning("could not remove expired browser-console tokens and phone links: \(error)")
        }
        do {
            let window = LoginThrottle.Policy().window
            let removed = try await store.deleteLoginFailures(lastBefore: now.addingTimeInterval(-Double(window.components.seconds)))
            if removed > 0 { logger.debug("forgot the login failures of \(removed) name(s) and address(es)") }
        } catch {
            logger.warning("could not forget old login failures: \(error)")
        }
        guard let auditRetention else { return }
        do {
            let removed = try await store.deleteAuditEvents(olderThan: now.addingTimeInterval(-auditRetention))
            if removed > 0 { logger.info("removed \(removed) audit log entr\(removed == 1 ? "y" : "ies") past the retention") }
        } catch {
            logger.warning("could not remove old audit log entries: \(error)")
        }
    }
}
