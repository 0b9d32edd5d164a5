import Libvirt
import Logging
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

    func poolConnectURIsByName() async throws -> [String: String] {
        Dictionary(try await store.poolSummaries().map { ($0.pool.name, $0.pool.connectURI) }, uniquingKeysWith: { a, _ in a })
    }
}

extension Broker {
    /// A VM stopped behind the broker's back (destroyed, crashed, or shut down from inside) while a session held it:
    /// that session ends cleanly (port, rule, ticket, browser connections) and the VM, shut off, goes back to the pool,
    /// to be started again by the next handout.
    ///
    /// - Returns: the id of the session ended, if any. Stops the broker causes itself come after the session ended,
    ///   so they find none.
    @discardableResult
    public func desktopStopped(_ vm: VMRef, change: LifecycleChange) async throws -> String? {
        guard change.endsRunning else { return nil }
        let uris = try await self.poolConnectURIsByName()
        let holder = try await store.sessions().first {
            $0.state == .ready && $0.vm == vm.domain && uris[$0.pool] == vm.connectURI
        }
        guard let holder else { return nil }
        logger.warning("desktop \(vm.domain) of session \(holder.id) stopped: \(change)")
        try await self.endSession(id: holder.id, requestedBy: nil, reason: "the broker: its VM stopped (\(change))")
        return holder.id
    }
}
