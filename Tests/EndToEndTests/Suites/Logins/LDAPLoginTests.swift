import Foundation
import Testing

extension EndToEnd {
    /// Logins against a real OpenLDAP, with the user's directory groups reaching pool grants.
    @Suite struct LDAPLogin {
        @Test(
            "a directory user logs in, gets the pools granted to their directory group; wrong, empty and injected logins fail",
            arguments: LDAPBed.Security.allCases)
        func directoryUser(security: LDAPBed.Security) throws {
            let tls = security == .plain ? nil : try LDAPBed.certificates()
            try BrokerFixture.run(
                "ldap-\(security.rawValue)", authMethods: ["local", "ldap"], extraConfig: LDAPBed.config(security, tls: tls)
            ) { broker in
                try LDAPBed.with(security, tls: tls) {
                    try broker.cli(["group", "create", LDAPBed.group])
                    try broker.cli(["pool", "create", "design", "--connect", TestVMs.connectURI, "--private"])
                    try broker.cli(["pool", "grant", "design", "--group", LDAPBed.group])

                    let login = try PAMBed.login(LDAPBed.user, LDAPBed.password)
                    #expect(login.status == 200, "\(login)\n\(broker.logTail())")
                    let token = try #require(login.json()?["token"] as? String)
                    let pools = try API.request("GET", "/api/v1/pools", token: token)
                    #expect(pools.text.contains("\"design\""), "dana's directory group should grant her pool design: \(pools.text)")

                    for (name, password) in [
                        (LDAPBed.user, "wrong"), (LDAPBed.user, ""), ("*", LDAPBed.password),
                        ("dana)(uid=*", LDAPBed.password), ("nobody", LDAPBed.password),
                    ] {
                        let refused = try PAMBed.login(name, password)
                        #expect(refused.status == 401, "\(name.debugDescription) / \(password.debugDescription): \(refused)")
                    }
                    #expect(try PAMBed.login(TestUsers.alice, TestUsers.password(TestUsers.alice)).status == 200)
                    let alicePools = try API.request("GET", "/api/v1/pools", token: try API.login(TestUsers.alice))
                    #expect(!alicePools.text.contains("\"design\""), "alice is in no designers group: \(alicePools.text)")
                    let audit = try broker.cli(["audit", "--json"]).output
                    #expect(audit.contains("first login through ldap"), "\(audit.prefix(1500))")

                    // The directory matches names without case: so does the broker. DaNa is dana, one user.
                    let variant = try PAMBed.login("DaNa", LDAPBed.password)
                    #expect(variant.status == 200, "\(variant)")
                    let me = try API.request("GET", "/api/v1/me", token: variant.json()?["token"] as? String)
                    #expect(me.json()?["name"] as? String == LDAPBed.user, "\(me.text)")
                    let users = try broker.cli(["user", "list", "--json"]).output
                    #expect(!users.contains("\"DaNa\""), "no second user for a case variant: \(users)")
                    // Failures in any spelling count for the one account: past five, even the right password waits.
                    for name in ["Dana", "DANA", "dAna", "daNA", "DAna", "danA"] { _ = try PAMBed.login(name, "wrong") }
                    let throttled = try PAMBed.login("dAnA", LDAPBed.password)
                    #expect(throttled.status == 429, "\(throttled)")
                }
            }
        }

        @Test("a directory user binds as their own DN (no search first), gets their group's pool; wrong and injected names fail")
        func directBind() throws {
            try BrokerFixture.run(
                "ldap-direct", authMethods: ["local", "ldap"], extraConfig: LDAPBed.config(.plain, tls: nil, bindDirectly: true)
            ) { broker in
                // Anonymous searches find nothing here, so only a bind as dana herself can log her in.
                try LDAPBed.with(.plain, tls: nil, anonymousSearch: false) {
                    let anonymous = try Command.run(Topology.inGateway([
                        "ldapsearch", "-x", "-H", LDAPBed.uri(.plain), "-b", "ou=people,\(LDAPBed.suffix)", "(uid=\(LDAPBed.user))", "dn",
                    ]))
                    #expect(!anonymous.output.contains("dn: uid="), "slapd let an anonymous search find dana: \(anonymous.output)")
                    try broker.cli(["group", "create", LDAPBed.group])
                    try broker.cli(["pool", "create", "design", "--connect", TestVMs.connectURI, "--private"])
                    try broker.cli(["pool", "grant", "design", "--group", LDAPBed.group])
                    let login = try PAMBed.login(LDAPBed.user, LDAPBed.password)
                    #expect(login.status == 200, "\(login)\n\(broker.logTail())")
                    let pools = try API.request("GET", "/api/v1/pools", token: try #require(login.json()?["token"] as? String))
                    #expect(pools.text.contains("\"design\""), "dana's group reached through her own bind: \(pools.text)")
                    for (name, password) in [
                        (LDAPBed.user, "wrong"), ("dana,ou=people", LDAPBed.password), ("*", LDAPBed.password), ("nobody", LDAPBed.password),
                    ] {
                        let refused = try PAMBed.login(name, password)
                        #expect(refused.status == 401, "\(name.debugDescription): \(refused)")
                    }
                }
            }
        }
    }
}
