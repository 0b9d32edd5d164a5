import Gateway
import Synchronization

/// Grants tunnels from given client addresses to given endpoints, each for a session; refuses everything else.
///
/// Its answers can be held back (`holdAnswers`): each is then decided when asked and given only once released, as
/// a store read just before a session ends answers with that session.
final class TestTunnelAuthorizer: TunnelAuthorizer {
    private struct State {
        var grants: [String: String] = [:]
        /// Every request the proxy asked about, as `client -> target`.
        var asked: [String] = []
        var holding = false
        var held: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Lets `client` reach `target` for session `sessionID`.
    func grant(client: String = "127.0.0.1", target: ConnectTarget, sessionID: String) {
        self.state.withLock { $0.grants["\(client) -> \(target)"] = sessionID }
    }

    /// Takes back every grant of the session, as the store forgets an ended session.
    func revoke(sessionID: String) {
        self.state.withLock { $0.grants = $0.grants.filter { $0.value != sessionID } }
    }

    var requests: [String] { self.state.withLock { $0.asked } }

    /// Answers decided but not yet given.
    var heldCount: Int { self.state.withLock { $0.held.count } }

    /// Holds every answer back from now on, until `releaseAnswers`.
    func holdAnswers() {
        self.state.withLock { $0.holding = true }
    }

    /// Gives the answers held back and answers at once from now on.
    func releaseAnswers() {
        let held = self.state.withLock { state in
            state.holding = false
            defer { state.held = [] }
            return state.held
        }
        for answer in held { answer.resume() }
    }

    func authorize(clientAddress: String, target: ConnectTarget) async throws -> String {
        let key = "\(clientAddress) -> \(target)"
        let (session, holding) = self.state.withLock { state in
            state.asked.append(key)
            return (state.grants[key], state.holding)
        }
        if holding {
            await withCheckedContinuation { continuation in
                let waits = self.state.withLock { state in
                    if state.holding { state.held.append(continuation) }
                    return state.holding
                }
                if !waits { continuation.resume() }
            }
        }
        guard let session else { throw TunnelRefusal.forbidden }
        return session
    }
}
