import Dispatch
import Synchronization

/// Ticket keys made ahead on a queue of their own, each handed to one link: a client never waits for an RSA key to be
/// made (10 ms at p50, 28 ms at p99 on 2 cores; see bench/README.md), and an encrypted ticket seen on the wire opens no
/// other link. When links come faster than keys are made, the newest key is handed out again for `reuseWindow`
/// rather than making a client wait; past that window a key is made while the client waits.
public final class SpiceTicketKeyPool: Sendable {
    private struct State {
        var ready: [SpiceTicketKey] = []
        /// The key handed out last, and when it was first handed out.
        var newest: (key: SpiceTicketKey, since: ContinuousClock.Instant)?
        var filling = false
    }

    /// How many keys are kept ready.
    public let size: Int
    /// How long the newest key may be handed out again while no new one is ready.
    public let reuseWindow: Duration
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "saffron.spice-ticket-keys", qos: .utility)

    /// Starts making `size` keys at once.
    public init(size: Int = 64, reuseWindow: Duration = .seconds(5)) {
        self.size = size
        self.reuseWindow = reuseWindow
        refillIfLow()
    }

    /// Keys ready now.
    public var readyCount: Int { state.withLock { $0.ready.count } }

    /// A key for one link.
    public func take() throws -> SpiceTicketKey {
        let now = ContinuousClock.now
        let handed: SpiceTicketKey? = state.withLock { state in
            if let key = state.ready.popLast() {
                state.newest = (key, now)
                return key
            }
            if let newest = state.newest, now - newest.since < reuseWindow { return newest.key }
            return nil
        }
        refillIfLow()
        if let handed { return handed }
        let made = try SpiceTicketKey()
        state.withLock { $0.newest = (made, now) }
        return made
    }

    /// Makes keys on the pool's queue until `size` are ready, unless that is under way.
    private func refillIfLow() {
        let start = state.withLock { state in
            guard !state.filling, state.ready.count < size else { return false }
            state.filling = true
            return true
        }
        guard start else { return }
        queue.async { [self] in
            while let key = try? SpiceTicketKey() {
                let full = state.withLock { state in
                    state.ready.append(key)
                    return state.ready.count >= size
                }
                if full { break }
            }
            state.withLock { $0.filling = false }
        }
    }
}
