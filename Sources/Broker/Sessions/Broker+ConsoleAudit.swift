import Foundation
import Store

/// The ways into a desktop that are audited when someone other than its user is given one.
enum ConsoleAccess: String, Sendable {
    case consoleFile = "a console file (.vv)"
    case webConsole = "a browser console"
    case phoneLink = "a phone link"
}

extension Broker {
    /// Records in the audit log that `user` was given `access` to `session` when the session is someone else's (an
    /// admin looking in): who, whose session and desktop, and from where (the request's address). A user's own
    /// consoles are not audited one by one.
    func auditConsoleAccess(_ access: ConsoleAccess, to session: SessionRecord, by user: UserRecord, now: Date) async {
        guard session.user != user.name else { return }
        await audit.record(
            .consoleOpen, by: user.name, subject: session.id,
            "\(access.rawValue) for \(session.user)'s desktop \(session.vm) of pool \(session.pool)", now: now)
    }
}
