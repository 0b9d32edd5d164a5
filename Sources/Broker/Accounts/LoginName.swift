/// A name as typed at the login prompt, checked before anyone is asked about it.
///
/// A name that could never be a user (too long, spaces, control characters, slashes) is refused with the same
/// `401` as a wrong password, before any authenticator, the throttle or the audit log sees it: a 64 KiB name must
/// not reach the log whole, and `" dana"` must not answer differently from `"dana"`.
struct LoginName: Sendable, Equatable {
    /// The name exactly as typed.
    let typed: String

    /// nil when `typed` cannot be any user's name (the rules of `Names.validate`).
    init?(_ typed: String) {
        guard (try? Names.validate(typed, kind: "user name")) != nil else { return nil }
        self.typed = typed
    }

    /// What the throttle counts: the name case-folded, since directories (LDAP, Active Directory, SSSD, winbind)
    /// match `Dana`, `DANA` and `dana` as one account.
    var throttleKey: String { Self.folded(typed) }

    /// `name` case-folded for counting.
    static func folded(_ name: String) -> String { name.lowercased() }
}
