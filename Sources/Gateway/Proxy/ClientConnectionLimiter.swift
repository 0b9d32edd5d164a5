import Synchronization

/// Counts open connections per client address, so one client cannot hold all of the proxy's sockets.
final class ClientConnectionLimiter: Sendable {
    private let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts one more connection of `client`; false, counting nothing, when it already holds `limit`.
    func acquire(_ client: String) -> Bool {
        self.counts.withLock { counts in
            let held = counts[client, default: 0]
            guard held < self.limit else { return false }
            counts[client] = held + 1
            return true
        }
    }

    /// Counts one connection of `client` less.
    func release(_ client: String) {
        self.counts.withLock { counts in
            let held = counts[client, default: 0] - 1
            counts[client] = held > 0 ? held : nil
        }
    }
}
