import Libvirt
import Logging
import Store

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
        for session in try await store.sessions() where session.state == .ready && session.vm == vm.domain {
            guard try await self.vmRef(for: session) == vm else { continue }
            logger.warning("desktop \(vm.domain) of session \(session.id) stopped: \(change)")
            try await self.endSession(id: session.id, requestedBy: nil, reason: "the broker: its VM stopped (\(change))")
            return session.id
        }
        return nil
    }
}
