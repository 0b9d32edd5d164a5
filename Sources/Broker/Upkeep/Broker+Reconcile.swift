import Foundation
import Logging
import Store

extension Broker {
    /// How often upkeep also compares the store with libvirt and the firewall (and always at its first round).
    static let reconcileInterval: TimeInterval = 30

    /// Makes the store agree with libvirt, for what events may have missed (the broker or its libvirt connection
    /// was down): a session whose VM does not run is ended; a VM libvirt no longer knows is marked broken, or, for
    /// a volatile template pool, to be created again.
    ///
    /// `sessions` must have been read before `census` was taken, so a session handed out meanwhile is not taken
    /// for one whose VM stopped. VMs on a host that did not answer are left as they are.
    func reconcile(_ pool: PoolRecord, sessions: [SessionRecord], vms: [VMRecord], census: PoolCensus) async {
        let known = Set(vms.filter { census.knows($0, of: pool) }.map(\.name))
        for session in sessions
        where session.state == .ready && known.contains(session.vm) && !census.domains.running.contains(session.vm) {
            do {
                try await endSession(id: session.id, requestedBy: nil, reason: "reconciliation: its VM \(session.vm) is not running")
            } catch let error as BrokerError where error.code == .sessionNotFound {
                continue  // ended meanwhile
            } catch {
                logger.warning("could not end session \(session.id) of stopped \(session.vm): \(error)")
            }
        }
        let held = Set(sessions.map(\.vm))
        for vm in vms
        where vm.isProvisioned && vm.brokenReason == nil && !held.contains(vm.name) && known.contains(vm.name)
            && !census.domains.defined.contains(vm.name)
        {
            do {
                if pool.template != nil, pool.desktopMode == .volatile {
                    try await store.markProvisioned(vm: vm.name, pool: pool.name, false)
                    logger.notice("\(vm.name) of pool \(pool.name) is gone from libvirt; it will be created again when needed")
                } else {
                    try await store.markBroken(vm: vm.name, pool: pool.name, reason: "gone from libvirt")
                    logger.warning("\(vm.name) of pool \(pool.name) is gone from libvirt; marked broken")
                }
            } catch {
                logger.warning("could not record that \(vm.name) is gone: \(error)")
            }
        }
    }

    /// Puts the access paths right that drifted from the live sessions (forwarding rules flushed or added behind
    /// the broker's back). The sessions are read inside each path's own serialization.
    func reconcileForwarding() async {
        do {
            _ = try await reconcileAccess()
        } catch {
            logger.warning("could not check the access paths against the sessions: \(error)")
        }
    }
}
