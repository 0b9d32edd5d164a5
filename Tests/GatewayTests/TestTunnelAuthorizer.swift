import Gateway
import Synchronization

/// Grants tunnels from given client addresses to given endpoints, each for a session; refuses everything else.
final class TestTunnelAuthorizer: TunnelAuthorizer {
    private let grants = Mutex<[String: String]>([:])
    /// Every request the proxy asked about, as `client -> target`.
    private let asked = Mutex<[String]>([])

    /// Lets `client` reach `target` for session `sessionID`.
    func grant(client: String = "127.0.0.1", target: ConnectTarget, sessionID: String) {
        self.grants.withLock { $0["\(client) -> \(target)"] = sessionID }
    }

    var requests: [String] { self.asked.withLock { $0 } }

    func authorize(clientAddress: String, target: ConnectTarget) async throws -> String {
        let key = "\(clientAddress) -> \(target)"
        self.asked.withLock { $0.append(key) }
        guard let session = self.grants.withLock({ $0[key] }) else { throw TunnelRefusal.forbidden }
        return session
    }
}
