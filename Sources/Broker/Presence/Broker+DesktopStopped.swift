import Logging
import Store

extension Broker {
    /// A VM stopped behind the broker's back (destroyed, crashed, or shut down from inside) while a session held it:
    /// that session ends cleanly (port, rule, ticket, browser connections) and the VM, shut off, goes back to the pool,
    /// to be started again by the next handout.
    ///
    /// - Parameter reason: how it stopped, as the hypervisor said, for the log and the audit.
    /// - Returns: the id of the session ended, if any. Stops the broker causes itself come after the session ended,
    ///   so they find none.
    @discardableResult
    public func desktopStopped(_ vm: VMRef, reason: String) async throws -> String? {
        for session in try await store.sessions() where session.state == .ready && session.vm == vm.domain {
            guard try await self.vmRef(for: session) == vm else { continue }
            logger.warning("desktop \(vm.domain) of session \(session.id) stopped: \(reason)")
            try await self.endSession(id: session.id, requestedBy: nil, reason: "the broker: its VM stopped (\(reason))")
            return session.id
        }
        return nil
    }
}
