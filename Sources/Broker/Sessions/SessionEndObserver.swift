/// Told when a session ends, so access paths that hold live connections (the WebSocket gateway) can cut them.
public protocol SessionEndObserver: Sendable {
    func sessionEnded(_ sessionID: String) async
}
