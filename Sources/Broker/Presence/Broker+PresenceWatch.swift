import Logging

extension Broker {
    /// Follows the VMs of one hypervisor connection until cancelled: viewers attaching and leaving feed the presence
    /// tracker, and a desktop that stops under its session gets that session ended. Throws when the connection is
    /// lost; the caller forgets what was known of it and watches again.
    public func watchPresence(on connectURI: String) async throws {
        try await hypervisor.watchEvents(
            on: connectURI,
            watching: {
                self.logger.info("watching desktop presence", metadata: ["connect": "\(connectURI)"])
                await self.seedPresence(on: connectURI)
            },
            handle: { event in
                self.presence.record(event, connectURI: connectURI)
                if case .stopped(let domain, let reason) = event {
                    await self.endSessionOfStopped(VMRef(connectURI: connectURI, domain: domain), reason: reason)
                }
            })
    }

    /// Asks the hypervisor which SPICE clients are attached to each running VM of the pools, for the viewers that
    /// attached before we watched (events only tell of changes). Other domains of the host are left alone (QEMU's
    /// query marks a domain as tainted in libvirt's log). A driver that cannot tell is skipped.
    private func seedPresence(on connectURI: String) async {
        do {
            let ours = try await self.poolVMNames(onConnection: connectURI)
            let running = try await hypervisor.domainCensus(on: connectURI).running.intersection(ours)
            for domain in running.sorted() {
                let vm = VMRef(connectURI: connectURI, domain: domain)
                let clients = try await hypervisor.attachedViewers(of: vm)
                self.presence.seed(vm, clients: clients)
                if !clients.isEmpty {
                    logger.info("viewer already attached", metadata: ["vm": "\(domain)", "channels": "\(clients.count)"])
                }
            }
        } catch {
            logger.debug(
                "attached viewers could not be asked of the hypervisor", metadata: ["connect": "\(connectURI)", "error": "\(error)"])
        }
    }

    /// Ends the session of a desktop that stopped behind the broker's back, logging what could not be done.
    private func endSessionOfStopped(_ vm: VMRef, reason: String) async {
        do {
            try await self.desktopStopped(vm, reason: reason)
        } catch {
            logger.error("desktop \(vm.domain) stopped, but its session could not be ended: \(error)")
        }
    }
}
