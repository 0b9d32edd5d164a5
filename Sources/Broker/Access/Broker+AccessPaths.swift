import Logging
import Store

extension Broker {
    /// The routes this broker's access paths serve, in name order.
    public var consoleRoutes: [ConsoleRoute] { accessPaths.keys.sorted() }

    /// The access path of `route`; `400 route_unknown`, naming the routes there are, for one no path serves.
    public func accessPath(for route: ConsoleRoute) throws -> any AccessPath {
        guard let path = accessPaths[route] else {
            let known = consoleRoutes.map(\.rawValue).joined(separator: ", ")
            throw BrokerError(.routeUnknown, "No console route \(route.rawValue.debugDescription) here; use one of: \(known).")
        }
        return path
    }

    /// Runs one change of the session's access path; a failure is logged, not thrown, since the path's next
    /// reconciliation puts it right (a session ends whether or not its path answers).
    func changeAccess(_ what: String, of session: SessionRecord, _ change: (any AccessPath) async throws -> Void) async {
        do {
            try await change(try accessPath(for: session.route))
        } catch {
            logger.warning("could not \(what) for session \(session.id); the next reconciliation will: \(error)")
        }
    }

    /// Sets every access path's state to what the live sessions need, at start.
    func restoreAccess(_ sessions: [SessionRecord]) async throws {
        for (route, path) in accessPaths.sorted(by: { $0.key < $1.key }) {
            try await path.restore(sessions.filter { $0.route == route })
        }
    }

    /// Puts every access path right that drifted from the live sessions; true when one had.
    func reconcileAccess() async throws -> Bool {
        var drifted = false
        let store = self.store
        for (route, path) in accessPaths.sorted(by: { $0.key < $1.key }) {
            if try await path.reconcile({ try await store.sessions().filter { $0.route == route } }) {
                logger.notice("\(path.summary) was out of step with the sessions and is put right")
                drifted = true
            }
        }
        return drifted
    }
}
