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

    /// Brings this broker in step with a change another made: the session's access path opens, moves or closes its
    /// way, and the session observers are told of ends and moves.
    func apply(_ change: SessionChange) async {
        let session = change.session
        switch change.kind {
        case .ended:
            for observer in sessionObservers { await observer.sessionEnded(session.id) }
            upkeep.forgetSession(session.id)
            await changeAccess("close the access path of a session ended elsewhere", of: session) { try await $0.close(session) }
        case .added, .updated:
            if let former = change.formerClientAddress {
                for observer in sessionObservers { await observer.sessionMoved(session.id) }
                if session.state == .ready {
                    await changeAccess("move the access path to the new client", of: session) {
                        try await $0.move(session, from: former)
                    }
                }
            } else if session.state == .ready {
                await changeAccess("open the access path of a session changed elsewhere", of: session) { try await $0.open(session) }
            }
        }
    }
}
