import Foundation
import Store

/// A libvirt host the broker's pools live on, as admins see it.
public struct HostView: Sendable, Equatable {
    /// The libvirt connection URI, e.g. `qemu:///system`.
    public var connect: String
    /// The pools on it, by name.
    public var pools: [String]
    /// Whether libvirt answered.
    public var reachable: Bool
    /// Domains libvirt knows there, and how many of them run; null when unreachable.
    public var domains: Int?
    public var running: Int?
    /// The pools' VMs there, and how many of them run; null when unreachable.
    public var poolVMs: Int
    public var poolVMsRunning: Int?
    /// Why libvirt did not answer; null when it did.
    public var error: String?

    private enum CodingKeys: String, CodingKey {
        case connect, pools, reachable, domains, running, poolVMs, poolVMsRunning, error
    }
}

extension Broker {
    /// Every libvirt host some pool lives on, with whether it answers and what runs there.
    public func hosts() async throws -> [HostView] {
        let pools = try await store.pools()
        var byHost: [String: [PoolRecord]] = [:]
        for pool in pools {
            for host in pool.connectURIs { byHost[host, default: []].append(pool) }
        }
        var views: [HostView] = []
        for connect in byHost.keys.sorted() {
            let hostPools = byHost[connect] ?? []
            var vmNames: Set<String> = []
            for pool in hostPools {
                vmNames.formUnion(try await store.vms(inPool: pool.name).filter { Self.ref($0, of: pool).connectURI == connect }.map(\.name))
            }
            var view = HostView(
                connect: connect, pools: hostPools.map(\.name).sorted(), reachable: false, poolVMs: vmNames.count)
            do {
                let census = try await hypervisor.domainCensus(on: connect)
                view.reachable = true
                view.domains = census.defined.union(census.running).count
                view.running = census.running.count
                view.poolVMsRunning = vmNames.intersection(census.running).count
            } catch {
                view.error = "\(error)"
            }
            views.append(view)
        }
        return views
    }
}
