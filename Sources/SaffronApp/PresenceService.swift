import Broker
import Logging
import ServiceLifecycle

/// Has the broker watch the events of every pool's hypervisor connection (one watch per URI, picked up as pools
/// appear), watching again when a connection is lost. Connections `libvirt.allowedURIs` does not name are not opened.
struct PresenceService: Service {
    let broker: Broker
    let logger: Logger
    /// How often the pools are checked for connection URIs not watched yet.
    var poolCheckInterval: Duration = .seconds(10)

    /// Watches until graceful shutdown, then returns without error.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                var watched: Set<String> = []
                while !Task.isCancelled {
                    do {
                        let allowed = try await self.broker.poolConnectURIs().filter(self.broker.settings.connectURIs.allows)
                        for uri in allowed.subtracting(watched) {
                            watched.insert(uri)
                            group.addTask { await self.watch(uri) }
                        }
                    } catch {
                        self.logger.warning("could not list the pools' libvirt connections: \(error)")
                    }
                    try? await Task.sleep(for: self.poolCheckInterval)
                }
                group.cancelAll()
            }
        }
    }

    /// Relays `uri`'s events to the tracker until cancelled. A lost connection is reopened after a pause, and what
    /// was known of its VMs is forgotten: events were missed meanwhile. A host that stays down is tried less and less
    /// often (2 s, doubling up to 30 s), and said so at the first failure and the third, not at every try.
    private func watch(_ uri: String) async {
        var pause: Duration = .seconds(2)
        var failures = 0
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await self.broker.watchPresence(on: uri)
            } catch is CancellationError {
                return
            } catch {
                if ContinuousClock.now - started > .seconds(30) { (pause, failures) = (.seconds(2), 0) }
                failures += 1
                if failures == 1 {
                    self.logger.warning(
                        "desktop presence events interrupted; reconnecting", metadata: ["connect": "\(uri)", "error": "\(error)"])
                } else if failures == 3 {
                    self.logger.warning(
                        "desktop presence: the host still does not answer; trying every 30 s at most",
                        metadata: ["connect": "\(uri)", "error": "\(error)"])
                }
            }
            self.broker.presence.forget(connectURI: uri)
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(30))
        }
    }
}
