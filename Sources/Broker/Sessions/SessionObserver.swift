/// Told when a session ends, so access paths that hold live connections (the WebSocket gateway, the CONNECT proxy)
/// can cut them, and when its client moves to another address, so what they granted the old address is forgotten.
public protocol SessionObserver: Sendable {
    /// The session ended: the store has forgotten it.
    func sessionEnded(_ sessionID: String) async
    /// The session is now pinned to another client address. By default nothing happens.
    func sessionMoved(_ sessionID: String) async
}

extension SessionObserver {
    public func sessionMoved(_ sessionID: String) async {}
}
