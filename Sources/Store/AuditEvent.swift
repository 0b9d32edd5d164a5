import Foundation

/// What an audit log entry records. Kept as text, so entries a newer version wrote still read.
public struct AuditAction: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let login = AuditAction(rawValue: "login")
    public static let loginFailed = AuditAction(rawValue: "login_failed")
    public static let logout = AuditAction(rawValue: "logout")
    /// A desktop handed out: a new session, or the user's own session handed back.
    public static let handout = AuditAction(rawValue: "handout")
    /// A session ended (by its user, an admin, the CLI or the broker), with why.
    public static let sessionEnd = AuditAction(rawValue: "session_end")
    public static let userAdd = AuditAction(rawValue: "user_add")
    public static let userUpdate = AuditAction(rawValue: "user_update")
    public static let userRemove = AuditAction(rawValue: "user_remove")
    public static let poolCreate = AuditAction(rawValue: "pool_create")
    public static let poolUpdate = AuditAction(rawValue: "pool_update")
    public static let poolRemove = AuditAction(rawValue: "pool_remove")
    public static let vmAdd = AuditAction(rawValue: "vm_add")
    public static let vmRemove = AuditAction(rawValue: "vm_remove")
    public static let vmRepair = AuditAction(rawValue: "vm_repair")
    public static let vmUnassign = AuditAction(rawValue: "vm_unassign")
    public static let poolGrant = AuditAction(rawValue: "pool_grant")
    public static let poolRevoke = AuditAction(rawValue: "pool_revoke")
    public static let groupCreate = AuditAction(rawValue: "group_create")
    public static let groupDelete = AuditAction(rawValue: "group_delete")
    /// Members added to or removed from a group.
    public static let groupUpdate = AuditAction(rawValue: "group_update")
    /// A way into someone else's desktop issued to an admin: a `.vv`, a browser console or a phone link.
    public static let consoleOpen = AuditAction(rawValue: "console_open")
    /// The firewall checked against the live sessions on an admin's request.
    public static let firewallReconcile = AuditAction(rawValue: "firewall_reconcile")
}

/// One entry of the audit log: who did what to what, when, from where, and whether it worked. Never holds a
/// ticket, token or password.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// Increasing with time; assigned by the store (0 before).
    public var id: Int64
    public var at: Date
    /// Who acted: a user name, `cli` (the local admin CLI) or `broker` (the broker on its own, e.g. reclaiming).
    public var actor: String
    public var action: AuditAction
    /// What the action was about: a session id, a pool, `pool/vm`, a user name.
    public var subject: String
    /// The address the request came from, when it came over the network.
    public var clientAddress: String?
    public var succeeded: Bool
    /// A sentence for people: which VM and port, why a session ended, what changed.
    public var detail: String

    public init(
        id: Int64 = 0, at: Date, actor: String, action: AuditAction, subject: String, clientAddress: String? = nil,
        succeeded: Bool = true, detail: String = ""
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.clientAddress = clientAddress
        self.succeeded = succeeded
        self.detail = detail
    }
}
