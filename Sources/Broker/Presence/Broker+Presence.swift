import Store

extension Broker {
    /// Whether each session's viewer is attached, by session id.
    public func presence(of sessions: [SessionRecord]) async throws -> [String: DesktopPresence] {
        // One lookup per pool (usually one), not per session: this runs on every session listing and handout. Only
        // a pool of several hosts has its VMs read, to know where each lives.
        var hosts: [String: (pool: PoolRecord, vms: [String: VMRecord])] = [:]
        for name in Set(sessions.map(\.pool)) {
            guard let pool = try await store.pool(named: name) else { continue }
            let vms = pool.otherConnectURIs.isEmpty ? [:] : Dictionary(
                try await store.vms(inPool: name).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            hosts[name] = (pool, vms)
        }
        var presence: [String: DesktopPresence] = [:]
        for session in sessions {
            presence[session.id] = hosts[session.pool].map { pool, vms in
                let host = vms[session.vm]?.connectURI ?? pool.connectURI
                return self.presence.presence(of: VMRef(connectURI: host, domain: session.vm))
            } ?? .detached
        }
        return presence
    }

    /// Whether the pool's VM has a viewer attached, as its host's events tell.
    public func presence(ofVM vm: VMRecord, in pool: PoolRecord) -> DesktopPresence {
        presence.presence(of: Self.ref(vm, of: pool))
    }

    /// The libvirt connections the pools' VMs live on, every host of every pool: where presence events come from.
    public func poolConnectURIs() async throws -> Set<String> {
        Set(try await store.pools().flatMap(\.connectURIs))
    }

    /// The names of the pools' VMs on the libvirt connection `connectURI`: the domains the broker may ask about.
    public func poolVMNames(onConnection connectURI: String) async throws -> Set<String> {
        var names = Set<String>()
        for pool in try await store.pools() where pool.connectURIs.contains(connectURI) {
            names.formUnion(try await store.vms(inPool: pool.name).filter { Self.ref($0, of: pool).connectURI == connectURI }.map(\.name))
        }
        return names
    }
}
