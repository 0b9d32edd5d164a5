internal import CLDAP
import Broker
import Foundation

/// Checks passwords against an LDAP directory or Active Directory: binds as the service account (or anonymously),
/// searches the user's entry, binds as that entry with the password, then reads the user's groups.
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

    public func verify(username: String, password: String) async throws -> Bool {
        try await check(username: username, password: password) != nil
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
        guard saffron_ldap_bind(ldap, settings.bindDN, settings.bindPassword, &error, error.count) == 0 else {
            throw Unavailable(description: "the service bind to \(settings.uri) failed: \(text())")
        }
        let users = try search(ldap, settings.userBase, LDAPSettings.filter(settings.userFilter, user: username), nil)
        guard users.count == 1, let dn = users.first else { return nil }  // unknown, or not one person
        let bound = saffron_ldap_bind(ldap, dn, password, &error, error.count)
        guard bound == 0 else {
            if bound == 49 { return nil }  // invalid credentials
            throw Unavailable(description: "binding as the user failed: \(text())")
        }
        guard let groupBase = settings.groupBase else { return Acceptance() }
        let filter = LDAPSettings.filter(settings.groupFilter, user: username, dn: dn)
        return Acceptance(directoryGroups: try search(ldap, groupBase, filter, settings.groupAttribute))
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
