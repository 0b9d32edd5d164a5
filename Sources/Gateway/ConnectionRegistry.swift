import Synchronization
import NIOCore

/// The live connections of a gateway (WebSocket relays, proxy tunnels), so the broker can end a session's connections and shutdown can end them all.
final class ConnectionRegistry: Sendable {
    private struct Entry {
        var sessionID: String?
        let closeFuture: EventLoopFuture<Void>
        let terminate: @Sendable (GatewayRefusal) -> Void
    }

    private struct State {
        var nextID = 0
        var entries: [Int: Entry] = [:]
        /// Set by `terminateAll`: the gateway is shutting down and takes no new connections.
        var isShut = false
    }

    private let state = Mutex(State())

    /// Adds a connection; `terminate` must hop to the connection's event loop. Returns its registration id, or nil
    /// once the gateway is shutting down (the connection should then close at once).
    func add(closeFuture: EventLoopFuture<Void>, terminate: @escaping @Sendable (GatewayRefusal) -> Void) -> Int? {
        self.state.withLock { state in
            guard !state.isShut else { return nil }
            state.nextID += 1
            state.entries[state.nextID] = Entry(sessionID: nil, closeFuture: closeFuture, terminate: terminate)
            return state.nextID
        }
    }

    /// Records which session a connection belongs to, once its token is redeemed.
    func assign(sessionID: String, to id: Int) {
        self.state.withLock { $0.entries[id]?.sessionID = sessionID }
    }

    /// One connection's entry, for handlers that learn their session later.
    struct Registration: Sendable {
        let registry: ConnectionRegistry
        let id: Int

        /// Records which session the connection belongs to.
        func assign(_ sessionID: String) {
            self.registry.assign(sessionID: sessionID, to: self.id)
        }
    }

    /// The session a connection was assigned to, if any.
    func session(of id: Int) -> String? {
        self.state.withLock { $0.entries[id]?.sessionID }
    }

    func remove(_ id: Int) {
        self.state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    /// Connections whose token was redeemed and that are still open.
    var liveCount: Int {
        self.state.withLock { state in state.entries.values.count { $0.sessionID != nil } }
    }

    /// Asks every connection of the session to close with `refusal`; returns their close futures.
    func terminate(sessionID: String, with refusal: GatewayRefusal) -> [EventLoopFuture<Void>] {
        let matching = self.state.withLock { state in
            state.entries.values.filter { $0.sessionID == sessionID }
        }
        for entry in matching { entry.terminate(refusal) }
        return matching.map(\.closeFuture)
    }

    /// Asks the connections of these registration ids to close with `refusal`.
    func terminate(ids: [Int], with refusal: GatewayRefusal) {
        let matching = self.state.withLock { state in ids.compactMap { state.entries[$0] } }
        for entry in matching { entry.terminate(refusal) }
    }

    /// Refuses new connections and asks every connection to close with `refusal`; returns their close futures.
    func terminateAll(with refusal: GatewayRefusal) -> [EventLoopFuture<Void>] {
        let all = self.state.withLock { state in
            state.isShut = true
            return Array(state.entries.values)
        }
        for entry in all { entry.terminate(refusal) }
        return all.map(\.closeFuture)
    }
}
