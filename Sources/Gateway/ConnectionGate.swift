import Synchronization

/// A listener's open connections counted against a ceiling, so that a flood of one listener leaves the process
/// descriptors for the others: a connection beyond it is closed as soon as it is accepted.
final class ConnectionGate: Sendable {
    /// The most connections open at once.
    let limit: Int
    private let open = Atomic<Int>(0)
    private let refusing = Atomic<Bool>(false)

    /// One connection's place, given back when the last reference to it goes: whatever path drops the connection
    /// (its handshake failing, its relay ending, a descriptor not duplicated) gives the place back with it.
    final class Slot: Sendable {
        private let gate: ConnectionGate
        fileprivate init(_ gate: ConnectionGate) { self.gate = gate }
        deinit { self.gate.open.wrappingSubtract(1, ordering: .relaxed) }
    }

    /// The gate had no room for a connection.
    struct Full: Error {}

    init(limit: Int) {
        self.limit = limit
    }

    /// What became of a connection: a place, or a refusal (`first` for the first since the gate last had room, so a
    /// flood is logged once).
    enum Admission {
        case admitted(Slot)
        case refused(first: Bool)
    }

    /// Takes a place for a new connection, unless all are taken.
    func enter() -> Admission {
        guard self.open.wrappingAdd(1, ordering: .relaxed).newValue <= self.limit else {
            self.open.wrappingSubtract(1, ordering: .relaxed)
            return .refused(first: !self.refusing.exchange(true, ordering: .relaxed))
        }
        self.refusing.store(false, ordering: .relaxed)
        return .admitted(Slot(self))
    }

    /// Connections open now.
    var count: Int { self.open.load(ordering: .relaxed) }
}
