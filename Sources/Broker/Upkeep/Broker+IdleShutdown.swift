import Foundation
import Synchronization
import Logging
import Store

extension Broker {
    /// How long a guest may take to honour a shutdown request before it is powered off.
    static let shutdownPatience: TimeInterval = 120

    /// Shuts down persistent desktops that have run without a session for the pool's idle time: first politely
    /// (ACPI), then, if the guest ignores it, by power-off. They stay their users' and start again at the next login.
    func shutDownIdleDesktops(
        of pool: PoolRecord, vms: [VMRecord], held: Set<String>, running: Set<String>, now: Date
    ) async {
        guard pool.desktopMode == .persistent, let idleLimit = pool.policy.idleShutdownSeconds else { return }
        for vm in vms where vm.assignedUser != nil {
            let ref = Self.ref(vm, of: pool)
            guard running.contains(vm.name), !held.contains(vm.name) else {
                let wasShuttingDown = upkeep.state.withLock { state in
                    state.idleSince[ref] = nil
                    return state.shutdownAskedAt.removeValue(forKey: ref) != nil
                }
                // Down (or taken by a login): the hold kept while the guest shut down ends.
                if wasShuttingDown { await releaseInStore([vm.name], of: pool) }
                continue
            }
            let (idleSince, askedAt) = upkeep.state.withLock { state in
                let since = state.idleSince[ref] ?? max(now, upkeep.startedAt)
                state.idleSince[ref] = since
                return (since, state.shutdownAskedAt[ref])
            }
            let due = askedAt.map { now.timeIntervalSince($0) > Self.shutdownPatience }
                ?? (now.timeIntervalSince(idleSince) > Double(idleLimit))
            guard due, await upkeep.holdSettled([ref]) else { continue }
            defer { upkeep.release([ref]) }
            // Held in the store too, until the guest is down, so no other broker hands out a desktop going down
            // (its user hears it is busy for a moment); refused when a login came since the round began: its
            // desktop stays up.
            guard await holdInStore([vm.name], of: pool, now: now, for: Self.shutdownPatience + 60) else { continue }
            do {
                if askedAt != nil {
                    try await hypervisor.powerOff(ref)
                    logger.notice("powered off \(vm.name) of pool \(pool.name): its guest ignored the shutdown request")
                } else {
                    try await hypervisor.shutDown(ref)
                    upkeep.state.withLock { $0.shutdownAskedAt[ref] = now }
                    logger.info("shutting down \(vm.name) of pool \(pool.name): no session for \(idleLimit) s")
                    continue
                }
            } catch {
                logger.warning("could not shut down idle \(vm.name) of pool \(pool.name): \(error)")
            }
            await releaseInStore([vm.name], of: pool)
        }
    }

    /// Before a desktop whose guest was asked to shut down (for idleness) is handed out: waits until it is down,
    /// powering it off once `shutdownPatience` has passed since the request, so the user gets it started afresh
    /// rather than watch it go down.
    func awaitRequestedShutdown(of ref: VMRef) async throws {
        guard let askedAt = upkeep.state.withLock({ $0.shutdownAskedAt[ref] }) else { return }
        while try await hypervisor.domainCensus(on: ref.connectURI).running.contains(ref.domain) {
            if Date().timeIntervalSince(askedAt) > Self.shutdownPatience {
                try await hypervisor.powerOff(ref)
                logger.notice("powered off \(ref.domain) before its handout: its guest ignored the shutdown request")
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        upkeep.state.withLock { state in
            state.shutdownAskedAt[ref] = nil
            state.idleSince[ref] = nil
        }
    }
}
