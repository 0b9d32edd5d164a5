import Foundation
import Testing

/// A real slapd (OpenLDAP) in the gateway namespace, on its loopback, with one user in one group, for the broker's
/// `ldap` login method.
enum LDAPBed {
    static let port = 10389
    static let ldapsPort = 10636
    static let suffix = "dc=example,dc=org"
    static let user = "dana"
    static let password = "pw-dana-ldap"
    static let group = "designers"

    /// How the broker reaches slapd: in the clear, with StartTLS on the plain port, or TLS from the start (LDAPS).
    enum Security: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case plain, startTLS, ldaps
        var testDescription: String { rawValue }
    }

    /// slapd's listening URI for `security`.
    static func uri(_ security: Security) -> String {
        security == .ldaps ? "ldaps://127.0.0.1:\(ldapsPort)" : "ldap://127.0.0.1:\(port)"
    }

    /// The broker's `ldap` section (a trailing comma: it goes before other sections); with `tls`, StartTLS or LDAPS
    /// trusting its CA; with `bindDirectly`, binding as `uid={user},ou=people,…` without searching first.
    static func config(_ security: Security, tls: TLSFolder?, bindDirectly: Bool = false) -> String {
        let secure = tls.map { #""startTLS": \#(security == .startTLS), "caFile": "\#($0.caCertificate)", "# } ?? ""
        let direct = bindDirectly ? #""userDN": "uid={user},ou=people,\#(suffix)", "# : ""
        return """
            "ldap": {"uri": "\(uri(security))", \(secure)\(direct)"userBase": "ou=people,\(suffix)", "userFilter": "(uid={user})", \
            "groupBase": "ou=groups,\(suffix)", "groupFilter": "(member={dn})", "groupAttribute": "cn"},
            """
    }

    /// A CA and a certificate for 127.0.0.1, made with `saffron tls init`, for slapd's StartTLS.
    static func certificates() throws -> TLSFolder {
        let directory = try Scratch.directory("slapd-tls")
        try Command.check([E2E.binary, "tls", "init", "--dir", directory.path, "--ip", "127.0.0.1", "--force"])
        return TLSFolder(directory: directory)
    }

    /// Starts slapd with a fresh database of `dana` in `designers` (with `tls`: TLS required for everything, through
    /// StartTLS or LDAPS as `security` says; without `anonymousSearch`, only bound users may read entries), runs
    /// `body`, stops slapd.
    static func with(_ security: Security, tls: TLSFolder?, anonymousSearch: Bool = true, _ body: () throws -> Void) throws {
        let folder = try Scratch.directory("slapd")
        let database = folder.appendingPathComponent("db")
        try FileManager.default.createDirectory(at: database, withIntermediateDirectories: true)
        let pidFile = folder.appendingPathComponent("slapd.pid")
        let configuration = folder.appendingPathComponent("slapd.conf")
        try """
            include /etc/ldap/schema/core.schema
            include /etc/ldap/schema/cosine.schema
            include /etc/ldap/schema/nis.schema
            include /etc/ldap/schema/inetorgperson.schema
            modulepath /usr/lib/ldap
            moduleload back_mdb
            pidfile \(pidFile.path)
            \(tls.map { "TLSCACertificateFile \($0.caCertificate)\nTLSCertificateFile \($0.serverCertificate)\nTLSCertificateKeyFile \($0.serverKey)\nsecurity tls=1" } ?? "")
            database mdb
            suffix "\(suffix)"
            rootdn "cn=admin,\(suffix)"
            rootpw admin-secret
            directory \(database.path)
            \(anonymousSearch ? "" : "access to * by users read by anonymous auth")

            """.write(to: configuration, atomically: true, encoding: .utf8)
        let entries = folder.appendingPathComponent("data.ldif")
        try """
            dn: \(suffix)
            objectClass: dcObject
            objectClass: organization
            o: Example
            dc: example

            dn: ou=people,\(suffix)
            objectClass: organizationalUnit
            ou: people

            dn: ou=groups,\(suffix)
            objectClass: organizationalUnit
            ou: groups

            dn: uid=\(user),ou=people,\(suffix)
            objectClass: inetOrgPerson
            uid: \(user)
            cn: Dana
            sn: Example
            userPassword: \(password)

            dn: cn=\(group),ou=groups,\(suffix)
            objectClass: groupOfNames
            cn: \(group)
            member: uid=\(user),ou=people,\(suffix)

            """.write(to: entries, atomically: true, encoding: .utf8)
        let uri = Self.uri(security) + "/"
        // slapd daemonizes and keeps the descriptors it was started with: give it a log file, not our pipes.
        let starter = try BackgroundProcess(
            Topology.inGateway(["slapd", "-f", configuration.path, "-h", uri]), stdout: E2E.artifact("slapd.log"),
            stderr: E2E.artifact("slapd.log"))
        _ = starter.wait(timeout: 30)
        defer {
            if let pid = try? String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) {
                _ = try? Command.run(["kill", pid])
            }
        }
        // The tools speak StartTLS (or LDAPS) too when slapd requires it, trusting the test CA.
        let client = tls.map { ["env", "LDAPTLS_CACERT=\($0.caCertificate)"] } ?? []
        let secure = security == .startTLS ? ["-ZZ"] : []
        try waitUntil("slapd to answer", timeout: 20, interval: 0.2) {
            (try? Command.run(Topology.inGateway(client + ["ldapsearch", "-x"] + secure + ["-H", uri, "-b", "", "-s", "base"])))?.status == 0
        }
        try Command.check(Topology.inGateway(client + [
            "ldapadd", "-x",
        ] + secure + ["-H", uri, "-D", "cn=admin,\(suffix)", "-w", "admin-secret", "-f", entries.path]))
        if security == .startTLS {
            let plain = try Command.run(Topology.inGateway(["ldapwhoami", "-x", "-H", uri, "-D", "uid=\(user),ou=people,\(suffix)", "-w", password]))
            guard plain.status != 0 else { throw CommandError(description: "slapd let a bind in without TLS") }
        }
        try body()
    }
}
