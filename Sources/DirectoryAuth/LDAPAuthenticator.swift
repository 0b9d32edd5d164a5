internal import CLDAP
import Broker
import Foundation

/// Checks passwords against an LDAP directory or Active Directory: binds as the service account (or anonymously),
/// searches the user's entry, binds as that entry with the password, then reads the user's groups; or, with
/// `userDN`, binds as the user straight away.
public struct LDAPAuthenticator: Authenticator {
    public let name = "ldap"
    public let settings: LDAPSettings

    /// Why the directory could not answer (unreachable, TLS, the service account refused): the next method is tried.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    public init(settings: LDAPSettings) {
        self.settings = settings
    }

    public func check(username: String, password: String) async throws -> Acceptance? {
        // An empty password would make a simple bind "unauthenticated", which servers accept: never ask.
        guard !password.isEmpty, !username.isEmpty else { return nil }
        let settings = self.settings
        return try await Blocking.run { Result { try Self.check(username, password, settings) } }.get()
    }

    private final class Collected {
        var values: [String] = []
    }

    private static func check(_ username: String, _ password: String, _ settings: LDAPSettings) throws -> Acceptance? {
        var error = [CChar](repeating: 0, count: 256)
        func text() -> String { String(cString: error) }
        guard
            let ldap = saffron_ldap_open(
                settings.uri, settings.startTLS ? 1 : 0, settings.caFile, Int32(settings.timeoutSeconds), &error, error.count)
        else { throw Unavailable(description: "cannot reach \(settings.uri): \(text())") }
        defer { saffron_ldap_close(ldap) }
        let userFilter = LDAPSettings.filter(settings.userFilter, user: username)
        var dn: String
        if let template = settings.userDN {
            dn = LDAPSettings.bindDN(template, user: username)
            guard try bindAsUser(ldap, dn, password) else { return nil }
            if !settings.userBase.isEmpty {  // the entry's own DN, for groups naming members by DN
                let found = try search(ldap, settings.userBase, userFilter, nil)
                if found.count == 1, let entry = found.first { dn = entry }
            }
        } else {
            guard saffron_ldap_bind(ldap, settings.bindDN, settings.bindPassword, &error, error.count) == 0 else {
                throw Unavailable(description: "the service bind to \(settings.uri) failed: \(text())")
            }
            let users = try search(ldap, settings.userBase, userFilter, nil)
            guard users.count == 1, let entry = users.first else { return nil }  // unknown, or not one person
            dn = entry
            guard try bindAsUser(ldap, dn, password) else { return nil }
        }
        let canonical = canonicalName(ldap, dn, typed: username, settings)
        guard let groupBase = settings.groupBase else { return Acceptance(canonicalName: canonical) }
        let filter = LDAPSettings.filter(settings.groupFilter, user: username, dn: dn)
        return Acceptance(directoryGroups: try search(ldap, groupBase, filter, settings.groupAttribute), canonicalName: canonical)
    }

    /// The account's name as the entry at `dn` spells it (`settings.userNameAttribute`): of several values the one
    /// matching what was typed but for case, else the first; nil where the entry cannot be read (a UPN bind with no
    /// `userBase`), so the name stays as typed.
    private static func canonicalName(_ ldap: OpaquePointer, _ dn: String, typed: String, _ settings: LDAPSettings) -> String? {
        guard let attribute = settings.userNameAttribute,
            let values = try? search(ldap, dn, "(objectClass=*)", attribute), !values.isEmpty
        else { return nil }
        return values.first { $0.lowercased() == typed.lowercased() } ?? values.first
    }

    /// Binds as `dn` with the password: true when the directory accepts it, false for wrong credentials.
    private static func bindAsUser(_ ldap: OpaquePointer, _ dn: String, _ password: String) throws -> Bool {
        var error = [CChar](repeating: 0, count: 256)
        let bound = saffron_ldap_bind(ldap, dn, password, &error, error.count)
        if bound == 49 { return false }  // invalid credentials (also an unknown DN, where the server says so)
        guard bound == 0 else { throw Unavailable(description: "binding as the user failed: \(String(cString: error))") }
        return true
    }

    /// DNs (`attribute` nil) or the attribute's values of the entries found.
    private static func search(_ ldap: OpaquePointer, _ base: String, _ filter: String, _ attribute: String?) throws -> [String] {
        let collected = Collected()
        var error = [CChar](repeating: 0, count: 256)
        let status = withExtendedLifetime(collected) {
            saffron_ldap_search(
                ldap, base, filter, attribute,
                { context, value in
                    let collected = Unmanaged<Collected>.fromOpaque(context!).takeUnretainedValue()
                    if let value { collected.values.append(String(cString: value)) }
                }, Unmanaged.passUnretained(collected).toOpaque(), &error, error.count)
        }
        guard status == 0 else { throw Unavailable(description: "searching \(base) failed: \(String(cString: error))") }
        return collected.values
    }
}
