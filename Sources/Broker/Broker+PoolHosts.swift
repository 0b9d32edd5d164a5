import Foundation
import Logging
import Store

/// What a pool's hosts hold at one moment: the domains of those that answered, merged, and those that did not.
struct PoolCensus: Sendable {
    /// Every VM name defined on an answering host, and the running ones.
    var domains = DomainCensus(defined: [], running: [])
    /// Which answering host defines each VM name (the first of the pool's order when several do).
    var hostOf: [String: String] = [:]
    /// The hosts that did not answer, with why.
    var unreachable: [String: String] = [:]

    /// Whether what `census` says of `vm` can be trusted: the host it lives on answered.
    func knows(_ vm: VMRecord, of pool: PoolRecord) -> Bool {
        unreachable[vm.connectURI ?? pool.connectURI] == nil
    }
}

extension Broker {
    /// The VM as libvirt knows it: a domain on the host it lives on (its pool's first unless it says otherwise).
    static func ref(_ vm: VMRecord, of pool: PoolRecord) -> VMRef {
        VMRef(connectURI: vm.connectURI ?? pool.connectURI, domain: vm.name)
    }

    /// The pool's VM `name` as libvirt knows it; on the pool's first host when the store has no record of it. A pool
    /// of one host needs no lookup (every VM of it lives there: `removeHost` keeps it so), which spares the store a
    /// read on every ticket.
    func ref(ofVM name: String, in pool: PoolRecord) async throws -> VMRef {
        guard !pool.otherConnectURIs.isEmpty, let record = try await store.vm(named: name, inPool: pool.name) else {
            return VMRef(connectURI: pool.connectURI, domain: name)
        }
        return Self.ref(record, of: pool)
    }

    /// The names of the pool's VMs that live on `host`.
    func vmNames(onHost host: String, of pool: PoolRecord) async throws -> Set<String> {
        Set(try await store.vms(inPool: pool.name).filter { Self.ref($0, of: pool).connectURI == host }.map(\.name))
    }

    /// The domains on every host of `pool`; a host that does not answer is noted, not fatal. `known` holds the
    /// censuses already taken this round, per host, and gains the ones taken now.
    func census(of pool: PoolRecord, known: inout [String: Result<DomainCensus, BrokerError>]) async -> PoolCensus {
        var result = PoolCensus()
        for host in pool.connectURIs {
            let answer: Result<DomainCensus, BrokerError>
            if let cached = known[host] {
                answer = cached
            } else {
                do {
                    answer = .success(try await hypervisor.domainCensus(on: host))
                } catch {
                    answer = .failure(error as? BrokerError ?? BrokerError.hypervisor("\(error)"))
                }
                known[host] = answer
            }
            switch answer {
            case .success(let census):
                result.domains.defined.formUnion(census.defined)
                result.domains.running.formUnion(census.running)
                for name in census.defined where result.hostOf[name] == nil { result.hostOf[name] = host }
            case .failure(let error):
                result.unreachable[host] = error.message
            }
        }
        return result
    }

    /// The pool's hosts to create a new VM on, best first: those that answer, the one with the most free memory
    /// first (the pool's order among equals). A pool of one host is always tried there. Throws
    /// `hypervisor_unavailable` when none answers.
    func placementOrder(for pool: PoolRecord) async throws -> [String] {
        guard !pool.otherConnectURIs.isEmpty else { return [pool.connectURI] }
        var room: [(host: String, free: UInt64)] = []
        var failures: [String] = []
        for host in pool.connectURIs {
            do {
                room.append((host, try await hypervisor.freeMemory(on: host)))
            } catch {
                failures.append("\(host): \((error as? BrokerError)?.message ?? "\(error)")")
                logger.warning("host \(host) of pool \(pool.name) is skipped for new VMs: \(error)")
            }
        }
        guard !room.isEmpty else {
            throw BrokerError(.hypervisorUnavailable, "No host of pool \(pool.name) answers (\(failures.joined(separator: "; "))); try again shortly.")
        }
        return room.enumerated().sorted { ($0.element.free, -$0.offset) > ($1.element.free, -$1.offset) }.map(\.element.host)
    }

    /// Throws `bad_request` unless `hosts` are one or more distinct connection URIs the broker may use.
    func checkHosts(_ hosts: [String]) throws {
        guard let first = hosts.first, !first.isEmpty else {
            throw BrokerError.badRequest("A pool needs a libvirt connection URI (--connect).")
        }
        for host in hosts {
            guard !host.isEmpty else { throw BrokerError.badRequest("A host's libvirt connection URI must not be empty.") }
            try settings.connectURIs.check(host)
        }
        guard Set(hosts).count == hosts.count else {
            throw BrokerError.badRequest("Each host of a pool is named once (\(hosts.joined(separator: ", "))).")
        }
    }

    /// Gives a pool another host. A template pool's template is checked there first; a pool of existing VMs can
    /// then take VMs defined on it.
    @discardableResult
    public func addHost(_ host: String, toPool poolName: String, by actor: String = AuditLog.cliActor) async throws -> PoolRecord {
        guard var pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        try checkHosts(pool.connectURIs + [host])
        if let template = pool.template { try await hypervisor.checkTemplate(template, connectURI: host) }
        pool.otherConnectURIs.append(host)
        try await BrokerError.mapping {
            try await store.setConnectURI(pool.connectURI, others: pool.otherConnectURIs, ofPool: poolName)
        }
        logger.info("pool \(poolName) gained host \(host)")
        await audit.record(.poolUpdate, by: actor, subject: poolName, "host \(host) added")
        upkeep.nudge()
        return pool
    }

    /// Takes a host from a pool. Refused (409 `host_in_use`) while VMs of the pool live there (remove them first,
    /// or for a template pool let them be reset), and for the pool's only host. With `gone` the host is declared gone
    /// for good instead: the sessions of its VMs end and the pool forgets those VMs (libvirt is not asked).
    @discardableResult
    public func removeHost(
        _ host: String, fromPool poolName: String, gone: Bool = false, by actor: String = AuditLog.cliActor
    ) async throws -> PoolRecord {
        guard var pool = try await store.pool(named: poolName) else { throw BrokerError(StoreError.poolNotFound(poolName)) }
        guard pool.connectURIs.contains(host) else {
            throw BrokerError(.hostNotFound, "Pool \(poolName) has no host \(host) (its hosts: \(pool.connectURIs.joined(separator: ", "))).")
        }
        guard pool.connectURIs.count > 1 else {
            throw BrokerError(.hostInUse, "\(host) is the only host of pool \(poolName); a pool needs one. Delete the pool instead.")
        }
        var living = try await store.vms(inPool: poolName).filter {
            (pool.template == nil || $0.isProvisioned) && Self.ref($0, of: pool).connectURI == host
        }
        if gone {
            try await forget(living, of: pool, goneWith: host, by: actor)
            living = []
        }
        guard living.isEmpty else {
            throw BrokerError(.hostInUse, """
                    \(living.count) VM(s) of pool \(poolName) live on \(host) (\(living.map(\.name).prefix(5).joined(separator: ", "))); \
                    remove them from the pool first.
                    """)
        }
        let remaining = pool.connectURIs.filter { $0 != host }
        pool.connectURI = remaining[0]
        pool.otherConnectURIs = Array(remaining.dropFirst())
        // VMs not created yet that were placed there once are placed afresh when they are created.
        for vm in try await store.vms(inPool: poolName) where vm.connectURI == host {
            try await store.setConnectURI(nil, ofVM: vm.name, inPool: poolName)
        }
        try await BrokerError.mapping {
            try await store.setConnectURI(pool.connectURI, others: pool.otherConnectURIs, ofPool: poolName)
        }
        logger.info("pool \(poolName) no longer uses host \(host)\(gone ? ", declared gone" : "")")
        await audit.record(.poolUpdate, by: actor, subject: poolName, "host \(host) removed\(gone ? " as gone" : "")")
        return pool
    }

    /// Ends the sessions of `vms`, which lived on a host declared gone, and takes them out of the pool without asking
    /// libvirt (there is none to ask).
    private func forget(_ vms: [VMRecord], of pool: PoolRecord, goneWith host: String, by actor: String) async throws {
        let names = Set(vms.map(\.name))
        for session in try await store.sessions() where session.pool == pool.name && names.contains(session.vm) {
            do {
                try await endSession(id: session.id, requestedBy: nil, reason: "its host \(host) was declared gone")
            } catch let error as BrokerError where error.code == .sessionNotFound {
                continue
            }
        }
        for vm in vms {
            try await BrokerError.mapping { try await store.removeVM(vm.name, fromPool: pool.name) }
            logger.notice("\(vm.name) left pool \(pool.name) with its host \(host)")
            await audit.record(.vmRemove, by: actor, subject: "\(pool.name)/\(vm.name)", "its host \(host) was declared gone")
        }
    }
}
