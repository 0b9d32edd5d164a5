import SaffronApp
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

    @Test func theConfigRefusesAnLDAPMethodWithoutItsDirectory() throws {
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(#""auth": {"methods": ["local", "ldap"]}"#) }
        #expect(error?.message.contains("ldap.uri") == true)
    }
}
