import Foundation

/// Where and how the LDAP authenticator finds users and their groups.
public struct LDAPSettings: Sendable, Equatable {
    /// `ldap://HOST[:PORT]` or `ldaps://HOST[:PORT]`.
    public var uri: String
    /// Upgrade an `ldap://` connection with StartTLS before anything is sent.
    public var startTLS = false
    /// PEM CA file to trust for LDAPS or StartTLS; nil: the system's.
    public var caFile: String?
    /// The service account that searches for users; nil binds anonymously.
    public var bindDN: String?
    public var bindPassword: String?
    /// Bind as the user directly with this DN (or Active Directory UPN), `{user}` being the login name escaped for a
    /// DN, e.g. `uid={user},ou=people,dc=example,dc=org` or `{user}@corp.example`; nil searches the user's entry first
    /// (as the service account) and binds as what it finds.
    public var userDN: String?
    /// Where users are searched for (with `userDN`: searched as the user once bound, for the DN groups name; empty:
    /// the bind DN is taken as the user's DN).
    public var userBase: String
    /// Finds one user; `{user}` is the login name, escaped for a filter.
    public var userFilter = "(uid={user})"
    /// The user entry's attribute naming the account (`uid`, AD's `sAMAccountName`): the user's name in Saffron, so
    /// `DaNa` and `dana` are one user; nil takes the name as typed.
    public var userNameAttribute: String? = "uid"
    /// Where groups are searched for; nil: no group lookup.
    public var groupBase: String?
    /// Finds the user's groups; `{dn}` is the user's DN and `{user}` the login name, both escaped.
    public var groupFilter = "(member={dn})"
    /// The group attribute whose value names the group (matched against group grants).
    public var groupAttribute = "cn"
    /// How long the directory may take to answer.
    public var timeoutSeconds = 5

    public init(uri: String, userBase: String) {
        self.uri = uri
        self.userBase = userBase
    }
}

extension LDAPSettings {
    /// `value` escaped for a DN attribute value (RFC 4514): `,`, `+`, `"`, `\\`, `<`, `>`, `;`, `=`, a leading `#`
    /// or space and a trailing space get a backslash, NUL becomes `\\00`, so a login name stays one value.
    static func escapedForDN(_ value: String) -> String {
        var escaped = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            switch character {
            case ",", "+", "\"", "\\", "<", ">", ";", "=":
                escaped += "\\\(character)"
            case "\0":
                escaped += "\\00"
            case "#" where index == 0, " " where index == 0 || index == characters.count - 1:
                escaped += "\\\(character)"
            default:
                escaped.append(character)
            }
        }
        return escaped
    }

    /// `template` with `{user}` replaced by the DN-escaped login name.
    static func bindDN(_ template: String, user: String) -> String {
        template.replacingOccurrences(of: "{user}", with: escapedForDN(user))
    }

    /// `value` escaped for an LDAP search filter (RFC 4515): `*`, `(`, `)`, `\\` and NUL become `\\2a`, `\\28`,
    /// `\\29`, `\\5c`, `\\00`, so a login name can never change the filter.
    static func escapedForFilter(_ value: String) -> String {
        var escaped = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), 0:
                escaped += "\\" + String(byte, radix: 16).leftPadded(to: 2)
            default:
                escaped += String(decoding: [byte], as: UTF8.self)
            }
        }
        return escaped
    }

    /// `template` with `{user}` (and `{dn}`) replaced by their filter-escaped values, in one pass, so a value can
    /// never bring in a placeholder of its own.
    static func filter(_ template: String, user: String, dn: String = "") -> String {
        let values = ["{user}": escapedForFilter(user), "{dn}": escapedForFilter(dn)]
        var result = ""
        var rest = Substring(template)
        while !rest.isEmpty {
            if let (token, value) = values.first(where: { rest.hasPrefix($0.key) }) {
                result += value
                rest = rest.dropFirst(token.count)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        String(repeating: "0", count: max(0, length - count)) + self
    }
}
