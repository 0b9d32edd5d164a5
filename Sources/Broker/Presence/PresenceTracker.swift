import Foundation
import Synchronization

/// Keeps, per VM, the SPICE channels that are attached, from the hypervisor's viewer and lifecycle events.
///
/// A channel counts as attached once its client authenticated until it closes, so a client refused for a wrong
/// ticket never shows as attached; a VM that stops has none.
public final class PresenceTracker: Sendable {
    private struct VMState {
        /// Clients ("address:port") of channels that authenticated and are still open.
        var attached: Set<String> = []
        var changedAt: Date?
    }

    private let states = Mutex<[VMRef: VMState]>([:])

    public init() {}

    /// Takes in one event of the hypervisor connection `connectURI`.
    public func record(_ event: HypervisorEvent, connectURI: String, at now: Date = Date()) {
        let vm = VMRef(connectURI: connectURI, domain: event.domain)
        self.states.withLock { states in
            var state = states[vm] ?? VMState()
            let wasAttached = !state.attached.isEmpty
            switch event {
            case .viewerAttached(_, let client):
                state.attached.insert(client)
            case .viewerDetached(_, let client):
                state.attached.remove(client)
            case .stopped:
                state.attached.removeAll()
            case .started:
                break
            }
            if wasAttached != !state.attached.isEmpty { state.changedAt = now }
            states[vm] = state
        }
    }

    /// Takes in who is attached to a VM as asked of the hypervisor (not from events): when the broker starts
    /// watching, so viewers attached before it are known. Clients already known stay.
    public func seed(_ vm: VMRef, clients: [String], at now: Date = Date()) {
        guard !clients.isEmpty else { return }
        self.states.withLock { states in
            var state = states[vm] ?? VMState()
            let wasAttached = !state.attached.isEmpty
            state.attached.formUnion(clients)
            if !wasAttached { state.changedAt = now }
            states[vm] = state
        }
    }

    /// Forgets what is known of the VMs of `connectURI`: their events were missed (the connection was lost), so
    /// they count as detached until new events arrive.
    public func forget(connectURI: String, at now: Date = Date()) {
        self.states.withLock { states in
            for (vm, state) in states where vm.connectURI == connectURI && !state.attached.isEmpty {
                states[vm] = VMState(attached: [], changedAt: now)
            }
        }
    }

    /// What is known of the VM right now.
    public func presence(of vm: VMRef) -> DesktopPresence {
        self.states.withLock { states in
            guard let state = states[vm] else { return .detached }
            return DesktopPresence(channels: state.attached.count, changedAt: state.changedAt)
        }
    }
}
