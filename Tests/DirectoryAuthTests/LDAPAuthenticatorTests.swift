import Broker
import DirectoryAuth
import Foundation
import Testing

/// What the LDAP authenticator does before and without a directory: it never asks one with an empty password, and a
/// directory that cannot be reached is "unavailable" (so the next login method is tried), not "wrong password".
@Suite struct LDAPAuthenticatorTests {
    /// A loopback port nothing listens on: connecting is refused at once.
    static let nowhere = LDAPSettings(uri: "ldap://127.0.0.1:9", userBase: "ou=people,dc=example,dc=org")

    @Test func anEmptyPasswordOrNameIsRefusedWithoutAskingTheDirectory() async throws {
        let authenticator = LDAPAuthenticator(settings: Self.nowhere)
        #expect(try await authenticator.check(username: "dana", password: "") == nil)
        #expect(try await authenticator.check(username: "", password: "secret") == nil)
    }

    @Test func anUnreachableDirectoryIsUnavailableAndNamesItsAddress() async throws {
        var settings = Self.nowhere
        settings.timeoutSeconds = 2
        let error = await #expect(throws: LDAPAuthenticator.Unavailable.self) {
            try await LDAPAuthenticator(settings: settings).check(username: "dana", password: "secret")
        }
        #expect(error?.description.contains("127.0.0.1:9") == true, "\(String(describing: error))")
    }
}
