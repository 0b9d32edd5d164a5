import Broker
import Foundation
import PAMAuth
import Testing

/// The PAM authenticator through libpam for real, with PAM services of its own in `/etc/pam.d` (written for the
/// test and removed after it): a stack that lets everyone in and one that lets no one in. Needs root to write them.
@Suite(.enabled(if: getuid() == 0, "writes PAM services to /etc/pam.d: run as root (the test command does)"))
struct PAMAuthenticatorTests {
    /// Writes a PAM service whose every phase is `module`, runs `body` with its name, and removes it.
    static func withService(_ module: String, _ body: (String) async throws -> Void) async throws {
        let name = "saffron-unittest-\(UUID().uuidString.prefix(8).lowercased())"
        let path = "/etc/pam.d/\(name)"
        let stack = ["auth", "account", "password", "session"].map { "\($0) required \(module)" }.joined(separator: "\n")
        try (stack + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await body(name)
    }

    @Test func aStackThatAcceptsNamesTheAccountAsTheHostSpellsIt() async throws {
        try await Self.withService("pam_permit.so") { (service: String) async throws in
            let pam = PAMAuthenticator(service: service)
            #expect(try await pam.check(username: "root", password: "anything") == Acceptance(canonicalName: "root"))
            #expect(try await pam.verify(username: "root", password: "anything"))
        }
    }

    @Test func aStackThatRefusesLetsNoOneIn() async throws {
        try await Self.withService("pam_deny.so") { (service: String) async throws in
            let pam = PAMAuthenticator(service: service)
            #expect(try await pam.check(username: "root", password: "anything") == nil)
            #expect(try await !pam.verify(username: "root", password: "anything"))
        }
    }
}
