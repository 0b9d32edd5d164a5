import Store

extension Broker {
    /// Whether each session's viewer is attached, by session id.
    public func presence(of sessions: [SessionRecord]) async throws -> [String: DesktopPresence] {
        let uris = try await self.poolConnectURIsByName()
        var presence: [String: DesktopPresence] = [:]
        for session in sessions {
            presence[session.id] = uris[session.pool].map {
                self.presence.presence(of: VMRef(connectURI: $0, domain: session.vm))
            } ?? .detached
        }
        return presence
    }

    /// The libvirt connections the pools' VMs live on: where presence events come from.
    public func poolConnectURIs() async throws -> Set<String> {
        Set(try await self.poolConnectURIsByName().values)
    }

    private func poolConnectURIsByName() async throws -> [String: String] {
        Dictionary(try await store.poolSummaries().map { ($0.pool.name, $0.pool.connectURI) }, uniquingKeysWith: { a, _ in a })
    }
}
