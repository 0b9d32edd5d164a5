import Broker
import Libvirt
import Logging
import ServiceLifecycle

/// Feeds the broker's presence tracker with the graphics and lifecycle events of every pool's libvirt connection
/// (one event connection per URI, picked up as pools appear), reconnecting when a connection is lost; a desktop that
/// stops under its session gets that session ended. Connections `libvirt.allowedURIs` does not name are not opened.
struct PresenceService: Service {
    let broker: Broker
    let logger: Logger
    /// How often the pools are checked for connection URIs not watched yet.
    var poolCheckInterval: Duration = .seconds(10)
    /// How often a watched connection is checked for being alive (events stop silently when libvirtd goes away).
    var livenessInterval: Duration = .seconds(5)

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
                try await self.relayEvents(of: uri)
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

    private func relayEvents(of uri: String) async throws {
        let connection = try await LibvirtConnection.open(uri)
        defer { connection.close() }
        let events = try await connection.domainEvents()
        self.logger.info("watching desktop presence", metadata: ["connect": "\(uri)"])
        await self.seedPresence(from: connection, uri: uri)
        let (broker, interval) = (self.broker, self.livenessInterval)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in events {
                    broker.presence.record(event, connectURI: uri)
                    if case .lifecycle(let domain, let change) = event, change.endsRunning {
                        await self.endSessionOfStopped(VMRef(connectURI: uri, domain: domain), change: change)
                    }
                }
            }
            group.addTask {
                while await connection.isAlive() { try await Task.sleep(for: interval) }
                throw PresenceConnectionLost(uri: uri)
            }
            try await group.next()
            group.cancelAll()
        }
    }
}

extension PresenceService {
    /// Asks QEMU which SPICE clients are attached to each running VM of the pools, for the viewers that attached
    /// before we watched (events only tell of changes). Other domains of the host are left alone (the query marks a
    /// domain as tainted in libvirt's log). A driver that cannot tell is skipped.
    private func seedPresence(from connection: LibvirtConnection, uri: String) async {
        do {
            let ours = try await self.broker.poolVMNames(onConnection: uri)
            for domain in try await connection.domains() where domain.state == .running && ours.contains(domain.name) {
                let clients = try await connection.spiceClients(ofDomain: domain.name)
                self.broker.presence.seed(VMRef(connectURI: uri, domain: domain.name), clients: clients)
                if !clients.isEmpty {
                    self.logger.info("viewer already attached", metadata: ["vm": "\(domain.name)", "channels": "\(clients.count)"])
                }
            }
        } catch {
            self.logger.debug("attached viewers could not be asked of the hypervisor", metadata: ["connect": "\(uri)", "error": "\(error)"])
        }
    }

    /// Ends the session of a desktop that stopped behind the broker's back, logging what could not be done.
    private func endSessionOfStopped(_ vm: VMRef, change: LifecycleChange) async {
        do {
            try await self.broker.desktopStopped(vm, change: change)
        } catch {
            self.logger.error("desktop \(vm.domain) stopped, but its session could not be ended: \(error)")
        }
    }
}

/// libvirt stopped answering on a connection whose events were being watched.
struct PresenceConnectionLost: Error, CustomStringConvertible {
    let uri: String
    var description: String { "the connection to \(uri) was lost" }
}
