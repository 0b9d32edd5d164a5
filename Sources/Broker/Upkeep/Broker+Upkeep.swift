import Foundation
import Logging
import Store

extension Broker {
    /// How long a pool's upkeep lease lasts past each round: the time another broker waits to take a dead one's
    /// pools over.
    static let upkeepLeaseDuration: TimeInterval = 8

    /// One round of pool upkeep, for every pool whose upkeep lease this broker holds (or takes: see `UpkeepLease`):
    /// sessions nobody uses are taken back, idle persistent desktops shut down, spares booted or powered off; at the
    /// first round and every `reconcileInterval`, the store is also reconciled with libvirt and the firewall.
    /// Failures are logged per pool; one broken hypervisor does not stop the rest.
    public func tendPools(now: Date = Date()) async {
        let pools: [PoolRecord]
        let sessions: [SessionRecord]
        do {
            pools = try await store.pools()
            sessions = try await store.sessions()
        } catch {
            logger.warning("pool upkeep skipped: the store did not answer: \(error)")
            return
        }
        let reconciling = upkeep.reconcileDue(at: now, every: Self.reconcileInterval)
        var nodes: [NodeRecord]?  // read once a round, only when some handout is under way
        let readNodes = { [store] () async throws -> [NodeRecord] in
            if let nodes { return nodes }
            let read = try await store.nodes()
            nodes = read
            return read
        }
        var censuses: [String: Result<DomainCensus, BrokerError>] = [:]  // one per host, however many pools share it
        for pool in pools where await holdsUpkeep(of: pool.name, now: now) {
            let poolSessions = sessions.filter { $0.pool == pool.name }
            do {
                let census = await census(of: pool, known: &censuses)
                guard census.unreachable.count < pool.connectURIs.count else {
                    let why = census.unreachable.values.first ?? ""
                    throw BrokerError(.hypervisorUnavailable, why)
                }
                let vmsBefore = try await store.vms(inPool: pool.name)
                if reconciling { await reconcile(pool, sessions: poolSessions, vms: vmsBefore, census: census) }
                await takeBackAbandonedHandouts(of: pool, poolSessions, nodes: readNodes, now: now)
                await reclaimUnusedSessions(of: pool, poolSessions, vms: vmsBefore, now: now)
                // Read again: the steps above end sessions and mark VMs. VMs on a host that does not answer are left
                // out of this round: neither idle nor spares.
                let all = try await store.vms(inPool: pool.name)
                let vms = all.filter { census.knows($0, of: pool) }
                let unreachable = Set(all.filter { !census.knows($0, of: pool) }.map(\.name))
                let held = Set(try await store.sessions().filter { $0.pool == pool.name }.map(\.vm))
                await shutDownIdleDesktops(of: pool, vms: vms, held: held, running: census.domains.running, now: now)
                await tendSpares(
                    of: pool, vms: vms, held: held, running: census.domains.running, unreachable: unreachable, now: now)
            } catch {
                logger.warning("upkeep of pool \(pool.name) skipped: \(error)")
            }
        }
        if reconciling { await reconcileForwarding() }
    }

    /// Whether this broker keeps `pool` this round: it plays the `upkeep` role and took or renewed the pool's lease.
    /// A store that does not answer keeps it from the pool this round.
    private func holdsUpkeep(of pool: String, now: Date) async -> Bool {
        guard settings.roles.contains(.upkeep) else { return false }
        do {
            return try await store.holdUpkeepLease(
                pool: pool, holder: settings.nodeName, now: now, duration: Self.upkeepLeaseDuration)
        } catch {
            logger.warning("upkeep of pool \(pool) skipped: its lease could not be taken: \(error)")
            return false
        }
    }
}
