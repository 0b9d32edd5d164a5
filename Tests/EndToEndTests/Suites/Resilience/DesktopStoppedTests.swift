import Foundation
import Testing

extension EndToEnd {
    /// A desktop destroyed behind the broker's back (`virsh destroy`) mid-session is noticed from libvirt's
    /// lifecycle events and its session ended cleanly, without anyone asking.
    @Suite struct DesktopStopped {
        @Test("virsh destroy under a session ends it: port, rule and VM are free, and the VM is handed out again")
        func destroyedUnderASession() throws {
            try BrokerFixture.run("desktop-stopped") { broker in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                #expect(try Topology.dnatRule(session: session.id) != nil)

                try Command.check(TestVMs.virsh(["destroy", session.vm]))
                let destroyed = Date()
                try waitUntil("the broker to end the session of the destroyed desktop", timeout: 15, interval: 0.2) {
                    try API.request("GET", "/api/v1/sessions/\(session.id)", token: token).status == 404
                }
                print("E2E: session ended \(String(format: "%.2f", Date().timeIntervalSince(destroyed))) s after virsh destroy")
                // The store forgets the session first (the API says 404), the rule goes right after.
                try waitUntil("the DNAT rule of the ended session to go", timeout: 10, interval: 0.1) {
                    try Topology.dnatRule(session: session.id) == nil
                }
                let pools = try broker.pools()
                #expect(pools.first?["freeVMs"] as? Int == 3, "\(pools)")

                let (again, next) = try API.requestDesktop(BrokerFixture.pool, token: token)
                #expect(again.status == 201, "\(again)")
                let nextSession = try #require(next)
                #expect(try TestVMs.spicePort(nextSession.vm) > 0, "the desktop handed out next is running")
            }
        }
    }
}
