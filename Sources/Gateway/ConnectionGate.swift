import Synchronization

/// A listener's open connections counted against a ceiling, and each client's against its share, so that a flood
/// of one listener leaves the process descriptors for the others and one client cannot take every place: a
/// connection beyond either is closed as soon as it is accepted.
final class ConnectionGate: Sendable {
    /// The most connections open at once.
    let limit: Int
    /// The most connections one client holds at once.
    let perClient: Int
    private let open = Atomic<Int>(0)
    private let refusing = Atomic<Bool>(false)
    private let clients = Mutex<[String: ClientCount]>([:])

    private struct ClientCount {
        var open = 0
        var refusing = false
    }

    /// One connection's place, given back when the last reference to it goes: whatever path drops the connection
    /// (its handshake failing, its relay ending, a descriptor not duplicated) gives the place back with it.
    final class Slot: Sendable {
        private let gate: ConnectionGate
        private let client: String?
        fileprivate init(_ gate: ConnectionGate, client: String?) {
            self.gate = gate
            self.client = client
        }
        deinit { self.gate.leave(client: self.client) }
    }

    /// The gate had no room for a connection.
    struct Full: Error {}

    init(limit: Int, perClient: Int = .max) {
        self.limit = limit
        self.perClient = perClient
    }

    /// What became of a connection: a place, or a refusal (`first` for the first since the gate, or the client, last
    /// had room, so a flood is logged once).
    enum Admission {
        case admitted(Slot)
        case refused(first: Bool)
        case overShare(first: Bool)
    }

    /// Takes a place for a new connection of `client` (nil: counted in the total only), unless all places are taken
    /// or the client holds its share.
    func enter(client: String? = nil) -> Admission {
        guard self.open.wrappingAdd(1, ordering: .relaxed).newValue <= self.limit else {
            self.open.wrappingSubtract(1, ordering: .relaxed)
            return .refused(first: !self.refusing.exchange(true, ordering: .relaxed))
        }
        self.refusing.store(false, ordering: .relaxed)
        if let client {
            let refusal: Bool? = self.clients.withLock { clients in
                var count = clients[client, default: ClientCount()]
                defer { clients[client] = count }
                guard count.open < self.perClient else {
                    defer { count.refusing = true }
                    return !count.refusing
                }
                count.open += 1
                count.refusing = false
                return nil
            }
            if let first = refusal {
                self.open.wrappingSubtract(1, ordering: .relaxed)
                return .overShare(first: first)
            }
        }
        return .admitted(Slot(self, client: client))
    }

    private func leave(client: String?) {
        self.open.wrappingSubtract(1, ordering: .relaxed)
        guard let client else { return }
        self.clients.withLock { clients in
            guard var count = clients[client] else { return }
            count.open -= 1
            clients[client] = count.open > 0 ? count : nil
        }
    }

    /// Connections open now.
    var count: Int { self.open.load(ordering: .relaxed) }

    /// Connections `client` holds now.
    func count(of client: String) -> Int { self.clients.withLock { $0[client]?.open ?? 0 } }
}
