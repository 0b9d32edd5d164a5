import Foundation
import Synchronization
import Logging
import Store

extension Broker {
    /// Keeps the pool's spares: free VMs running so a handout never waits for a boot. Missing spares are created
    /// (template pools) and booted, at most `bootLimit` at once; spares beyond the wanted number are powered off
    /// once they have run unused for the pool's linger time. VMs in `unreachable` (on a host that does not answer)
    /// are not booted.
    func tendSpares(
        of pool: PoolRecord, vms: [VMRecord], held: Set<String>, running: Set<String>, unreachable: Set<String> = [],
        now: Date
    ) async {
        let preparing = upkeep.preparing(onConnections: Set(pool.connectURIs)).intersection(vms.map(\.name))
        let ready = vms.filter { vm in
            vm.isProvisioned && vm.assignedUser == nil && !vm.needsReset && vm.brokenReason == nil
                && !held.contains(vm.name) && running.contains(vm.name) && !preparing.contains(vm.name)
        }.map(\.name).sorted()
        upkeep.state.withLock { $0.readySpares[pool.name] = ready }
        await powerOffSurplus(Array(ready.dropFirst(pool.policy.spares)), of: pool, vms: vms, now: now)

        let boots = min(pool.policy.spares - ready.count - preparing.count, pool.policy.bootLimit - preparing.count)
        guard boots > 0 else { return }
        var chosen: [(name: String, held: VMRef)] = []
        for _ in 0..<boots {
            let excluded = running.union(preparing).union(chosen.map(\.name)).union(unreachable)
            guard let name = try? await store.spareCandidate(inPool: pool.name, excluding: excluded, now: now) else { break }
            // Held meanwhile by other upkeep: leave it to that. A VM not created yet is held on the pool's first host.
            guard let held = try? await ref(ofVM: name, in: pool), upkeep.hold(held) else { break }
            // Held in the store too, so no other broker hands it out (or creates it) meanwhile.
            guard await holdInStore([name], of: pool, now: now) else {
                upkeep.release([held])
                break
            }
            chosen.append((name, held))
        }
        await withTaskGroup(of: Void.self) { group in
            for (name, held) in chosen {
                group.addTask { await self.bootSpare(name, held: held, of: pool) }
            }
        }
    }

    /// Creates (if needed) and starts one spare; a VM that fails is handled as in a failed handout.
    private func bootSpare(_ name: String, held: VMRef, of pool: PoolRecord) async {
        await prepareSpare(name, held: held, of: pool)
        await releaseInStore([name], of: pool)
        upkeep.release([held])
    }

    private func prepareSpare(_ name: String, held: VMRef, of pool: PoolRecord) async {
        let started = ContinuousClock.now
        var ref = held
        do {
            ref = try await provisionIfNeeded(name, of: pool)
            _ = try await hypervisor.startIfNeeded(ref)
            guard await !discardIfRemoved(ref, of: pool) else { return }
            logger.info("spare \(name) of pool \(pool.name) is up after \((ContinuousClock.now - started).millisecondsText)")
        } catch let error as BrokerError where error.code == .hypervisorUnavailable {
            logger.warning("spare \(name) of pool \(pool.name) waits for its host: \(error.message)")
        } catch {
            guard await !discardIfRemoved(ref, of: pool) else { return }
            logger.error("could not prepare spare \(name) of pool \(pool.name): \(error)")
            let record = try? await store.vm(named: name, inPool: pool.name)
            if pool.template != nil, record?.isProvisioned == false {
                try? await store.removeVM(name, fromPool: pool.name)
            } else {
                try? await store.markBroken(vm: name, pool: pool.name, reason: "could not start as a spare: \(error)")
            }
        }
    }

    /// A template pool's spare whose VM left the pool while it booted (`saffron pool remove-vm` or `pool delete`
    /// run by another process, which cannot see this broker's holds) is thrown away rather than left behind.
    private func discardIfRemoved(_ ref: VMRef, of pool: PoolRecord) async -> Bool {
        guard let template = pool.template else { return false }
        do {
            guard try await store.vm(named: ref.domain, inPool: pool.name) == nil else { return false }
        } catch {
            return false  // the store did not answer: nothing is known to have left
        }
        do {
            try await hypervisor.discard(ref, from: template)
            logger.info("spare \(ref.domain) left pool \(pool.name) while it booted; thrown away")
        } catch {
            logger.error("spare \(ref.domain) left pool \(pool.name) while it booted and could not be thrown away: \(error)")
        }
        return true
    }

    /// Powers off spares beyond the wanted number that have run unused for the pool's linger time. Each is held
    /// meanwhile (after handouts already claiming have finished) and checked once more for a session, so a handout
    /// never gets a VM that is going down. `vms` are the pool's VMs: the linger clocks of those no longer surplus
    /// stop, while other pools on the same connection keep theirs.
    private func powerOffSurplus(_ surplus: [String], of pool: PoolRecord, vms: [VMRecord], now: Date) async {
        let refs = Dictionary(vms.map { ($0.name, Self.ref($0, of: pool)) }, uniquingKeysWith: { first, _ in first })
        let surplusRefs = Set(surplus.compactMap { refs[$0] })
        let poolRefs = Set(refs.values)
        let due = upkeep.state.withLock { state in
            for ref in state.surplusSince.keys where poolRefs.contains(ref) && !surplusRefs.contains(ref) {
                state.surplusSince[ref] = nil
            }
            return surplusRefs.filter { ref in
                let since = state.surplusSince[ref] ?? now
                state.surplusSince[ref] = since
                return now.timeIntervalSince(since) >= Double(pool.policy.spareLingerSeconds)
            }
        }
        for ref in due {
            guard await upkeep.holdSettled([ref]) else { continue }
            defer {
                upkeep.release([ref])
                upkeep.state.withLock { _ = $0.surplusSince.removeValue(forKey: ref) }
            }
            // Held in the store too, so no other broker hands it out meanwhile; refused when it got a session.
            guard await holdInStore([ref.domain], of: pool, now: now) else { continue }
            do {
                try await hypervisor.powerOff(ref)
                logger.info("powered off surplus spare \(ref.domain) of pool \(pool.name)")
            } catch {
                logger.warning("could not power off surplus spare \(ref.domain) of pool \(pool.name): \(error)")
            }
            await releaseInStore([ref.domain], of: pool)
        }
    }
}
