import Testing

@testable import DirectoryAuth

/// Login names go into LDAP search filters escaped (RFC 4515), so none can widen or change a search.
@Suite struct LDAPFilterTests {
    @Test(arguments: [
        ("dana", "(uid=dana)"),
        ("*", "(uid=\\2a)"),
        ("dana)(uid=*", "(uid=dana\\29\\28uid=\\2a)"),
        ("a\\b", "(uid=a\\5cb)"),
        ("nul\u{0}x", "(uid=nul\\00x)"),
        ("{dn}", "(uid={dn})"),
    ])
    func namesAreEscaped(name: String, filter: String) {
        #expect(LDAPSettings.filter("(uid={user})", user: name, dn: "cn=x") == filter)
    }

    @Test func theDNIsEscapedToo() {
        #expect(
            LDAPSettings.filter("(&(member={dn})(uid={user}))", user: "d", dn: "uid=d(1),ou=p")
                == "(&(member=uid=d\\281\\29,ou=p)(uid=d))")
    }

    @Test(arguments: [
        ("dana", "uid=dana,ou=people,dc=example,dc=org"),
        ("dana,ou=admins", "uid=dana\\,ou\\=admins,ou=people,dc=example,dc=org"),
        ("a+b\"c<d>e;f\\g", "uid=a\\+b\\\"c\\<d\\>e\\;f\\\\g,ou=people,dc=example,dc=org"),
        ("#lead ", "uid=\\#lead\\ ,ou=people,dc=example,dc=org"),
        (" x", "uid=\\ x,ou=people,dc=example,dc=org"),
        ("nul\u{0}x", "uid=nul\\00x,ou=people,dc=example,dc=org"),
    ])
    func namesInABindDNAreEscaped(name: String, dn: String) {
        #expect(LDAPSettings.bindDN("uid={user},ou=people,dc=example,dc=org", user: name) == dn)
    }

    @Test func aUPNTemplateKeepsTheDomain() {
        #expect(LDAPSettings.bindDN("{user}@corp.example", user: "dana") == "dana@corp.example")
    }
}
