import Gateway

/// A credential table like the broker's: credentials that open a session's desktop (reusable), each session pinned to
/// a client address, and the desktop tickets it handed out.
actor TestSpiceResolver: SpiceConsoleResolver {
    private var credentials: [String: (target: SpiceConsoleTarget, client: String)] = [:]
    private let desktopTicket: String
    /// How often a desktop ticket was asked for, by session.
    private(set) var ticketRequests: [String: Int] = [:]

    init(desktopTicket: String) {
        self.desktopTicket = desktopTicket
    }

    func issue(_ credential: String, for target: SpiceConsoleTarget, client: String = "192.0.2.5") {
        credentials[credential] = (target, client)
    }

    /// The session ended: its credentials open nothing.
    func end(session: String) {
        credentials = credentials.filter { $0.value.target.sessionID != session }
    }

    func desktop(forCredential credential: String, clientAddress: String) async throws -> SpiceConsoleTarget {
        guard let entry = credentials[credential] else { throw SpiceConsoleRefusal.unknownCredential }
        guard entry.client == clientAddress else { throw SpiceConsoleRefusal.otherClient }
        return entry.target
    }

    func desktopTicket(forSession sessionID: String) async throws -> String {
        ticketRequests[sessionID, default: 0] += 1
        return desktopTicket
    }
}
