import Firewall
import Foundation
import Logging
import Store

extension Broker {
    /// Follows the session changes other brokers and admin CLIs make in a shared store, until cancelled: what this
    /// broker forwards follows at once, and a session ended elsewhere loses its browser consoles and proxy tunnels
    /// here too. Each time listening (re)starts, the firewall is reconciled for what was missed meanwhile. Returns at
    /// once for a store that announces nothing (SQLite, one broker). `listening` is called after each such
    /// reconciliation.
    public func followSessionChanges(
        retryingAfter pause: Duration = .seconds(2), listening: @escaping @Sendable () async -> Void = {}
    ) async {
        guard store.announcesSessionChanges else { return }
        while !Task.isCancelled {
            do {
                try await store.watchSessionChanges(
                    listening: {
                        await reconcileForwarding()
                        logger.info("following the session changes of other brokers")
                        await listening()
                    },
                    changed: { await apply($0) })
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning("lost the database's session announcements; listening again in \(pause): \(error)")
            }
            try? await Task.sleep(for: pause)
        }
    }

    /// Brings this broker in step with a change another made: rules it forwards are installed, moved or removed,
    /// and the access paths it runs are told of ends and moves.
    func apply(_ change: SessionChange) async {
        let session = change.session
        switch change.kind {
        case .ended:
            for observer in sessionObservers { await observer.sessionEnded(session.id) }
            upkeep.forgetSession(session.id)
            if let rule = forwardRule(for: session) {
                await changeForwarding("remove the rule of session \(session.id), ended elsewhere") {
                    try await forwarder.remove(rule)
                }
            }
        case .added, .updated:
            if let former = change.formerClientAddress {
                for observer in sessionObservers { await observer.sessionMoved(session.id) }
                var before = session
                before.clientAddress = former
                if let oldRule = forwardRule(for: before) {
                    await changeForwarding("remove the rule of session \(session.id) for its former client") {
                        try await forwarder.remove(oldRule)
                    }
                }
            }
            if session.state == .ready, let rule = forwardRule(for: session) {
                await changeForwarding("install the rule of session \(session.id), changed elsewhere") {
                    try await forwarder.install(rule)
                }
            }
        }
    }

    /// Runs one firewall change; a failure is logged, and the next reconciliation puts it right.
    private func changeForwarding(_ what: String, _ change: () async throws -> Void) async {
        do {
            try await change()
        } catch {
            logger.warning("could not \(what); the next reconciliation will: \(error)")
        }
    }
}
