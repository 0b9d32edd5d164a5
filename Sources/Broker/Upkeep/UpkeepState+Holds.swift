import Foundation
import Synchronization

/// Holding VMs out of handouts: a spare being booted, a surplus spare or an idle desktop being taken down.
///
/// A handout reads the held set once, then claims a VM in the store. So that a VM taken by upkeep is never also
/// handed out, a hold that must see every session on its VMs (`holdSettled`) first waits for the handouts that read
/// the set before the hold to finish their claims; a store check after that sees their sessions.
extension UpkeepState {
    /// Holds `ref`; false when it was held already.
    func hold(_ ref: VMRef) -> Bool {
        self.state.withLock { $0.preparing.insert(ref).inserted }
    }

    /// Lets go of `refs`.
    func release(_ refs: [VMRef]) {
        self.state.withLock { state in
            for ref in refs { state.preparing.remove(ref) }
        }
    }

    /// Holds every VM in `refs` (or none, returning false) and returns once no handout that could have missed the
    /// hold is still claiming.
    func holdSettled(_ refs: [VMRef]) async -> Bool {
        let mark: Int? = self.state.withLock { state in
            guard state.preparing.isDisjoint(with: refs) else { return nil }
            state.preparing.formUnion(refs)
            return state.nextClaim
        }
        guard let mark else { return false }
        while self.state.withLock({ $0.claimsInFlight.contains { $0 < mark } }) {
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    /// Runs a handout's claim: `body` gets the held VMs of `connectURIs` (a pool's hosts), to leave alone, and
    /// claims in the store.
    func claiming<T>(onConnections connectURIs: Set<String>, _ body: (Set<String>) async throws -> T) async rethrows -> T {
        let (number, held) = self.state.withLock { state in
            let number = state.nextClaim
            state.nextClaim += 1
            state.claimsInFlight.insert(number)
            return (number, Set(state.preparing.filter { connectURIs.contains($0.connectURI) }.map(\.domain)))
        }
        defer { _ = self.state.withLock { $0.claimsInFlight.remove(number) } }
        return try await body(held)
    }
}
