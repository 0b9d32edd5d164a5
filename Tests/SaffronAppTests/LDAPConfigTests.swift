import SaffronApp
import Testing

/// The LDAP section of the configuration.
@Suite struct LDAPConfigTests {
    @Test func theConfigRefusesAnLDAPMethodWithoutItsDirectory() throws {
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(#""auth": {"methods": ["local", "ldap"]}"#) }
        #expect(error?.message.contains("ldap.uri") == true)
    }
}
