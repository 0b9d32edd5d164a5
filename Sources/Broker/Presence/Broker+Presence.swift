import Store

extension Broker {
    /// Whether each session's viewer is attached, by session id.
    public func presence(of sessions: [SessionRecord]) async throws -> [String: DesktopPresence] {
        // One lookup per pool (usually one), not per session: this runs on every session listing and handout.
        var connectURIs: [String: String] = [:]
        for pool in Set(sessions.map(\.pool)) {
            connectURIs[pool] = try await store.pool(named: pool)?.connectURI
        }
        var presence: [String: DesktopPresence] = [:]
        for session in sessions {
            presence[session.id] = connectURIs[session.pool].map {
                self.presence.presence(of: VMRef(connectURI: $0, domain: session.vm))
            } ?? .detached
        }
        return presence
    }

    /// The libvirt connections the pools' VMs live on: where presence events come from.
    public func poolConnectURIs() async throws -> Set<String> {
        Set(try await store.pools().map(\.connectURI))
    }

    /// The names of the pools' VMs on the libvirt connection `connectURI`: the domains the broker may ask about.
    public func poolVMNames(onConnection connectURI: String) async throws -> Set<String> {
        var names = Set<String>()
        for pool in try await store.pools() where pool.connectURI == connectURI {
            names.formUnion(try await store.vms(inPool: pool.name).map(\.name))
        }
        return names
    }
}
