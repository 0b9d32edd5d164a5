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
            let ref = VMRef(connectURI: pool.connectURI, domain: vm.name)
            guard running.contains(vm.name), !held.contains(vm.name) else {
                upkeep.state.withLock { state in
                    state.idleSince[ref] = nil
                    state.shutdownAskedAt[ref] = nil
                }
                continue
            }
            let (idleSince, askedAt) = upkeep.state.withLock { state in
                let since = state.idleSince[ref] ?? max(now, upkeep.startedAt)
                state.idleSince[ref] = since
                return (since, state.shutdownAskedAt[ref])
            }
            do {
                if let askedAt {
                    guard now.timeIntervalSince(askedAt) > Self.shutdownPatience else { continue }
                    try await hypervisor.powerOff(ref)
                    logger.notice("powered off \(vm.name) of pool \(pool.name): its guest ignored the shutdown request")
                } else if now.timeIntervalSince(idleSince) > Double(idleLimit) {
                    try await hypervisor.shutDown(ref)
                    upkeep.state.withLock { $0.shutdownAskedAt[ref] = now }
                    logger.info("shutting down \(vm.name) of pool \(pool.name): no session for \(idleLimit) s")
                }
            } catch {
                logger.warning("could not shut down idle \(vm.name) of pool \(pool.name): \(error)")
            }
        }
    }
}
