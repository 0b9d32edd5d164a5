import Foundation
import Testing

extension EndToEnd {
    /// Sessions nobody uses are taken back by the pool's policy, as libvirt's graphics events tell: the viewer
    /// never came, or it left and did not come back within the grace period.
    @Suite struct Reclaim {
        @Test("a session whose remote-viewer quit is ended after the disconnect grace; one never attached after the attach window")
        func unusedSessionsAreTakenBack() throws {
            try BrokerFixture.run("reclaim") { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--disconnect-grace", "3", "--attach-window", "40"])
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)

                let viewer = try SessionViewer(session: session.id, token: token, label: "reclaim")
                defer { viewer.stop() }
                _ = try viewer.waitUntilAttached(session: session.id, token: token, channels: 1)
                // Attached, the session outlives the grace period many times over.
                Thread.sleep(forTimeInterval: 6)
                #expect(try API.request("GET", "/api/v1/sessions/\(session.id)", token: token).status == 200)

                viewer.stop()
                let left = Date()
                try waitUntil("the broker to take back the session its viewer left", timeout: 30, interval: 0.3) {
                    try API.request("GET", "/api/v1/sessions/\(session.id)", token: token).status == 404
                }
                let after = Date().timeIntervalSince(left)
                print("E2E reclaim: session ended \(String(format: "%.1f", after)) s after remote-viewer quit (grace 3 s)")
                #expect(after >= 3, "not before the grace period")
                // The store forgets the session first (the API says 404), the rule goes right after.
                try waitUntil("the rule of the taken-back session to go", timeout: 10, interval: 0.1) {
                    try Topology.dnatRule(session: session.id) == nil
                }

                try broker.cli(["pool", "set", BrokerFixture.pool, "--attach-window", "3"])
                let (_, maybeUnused) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let unused = try #require(maybeUnused)
                try waitUntil("the broker to take back a session no viewer attached to", timeout: 30, interval: 0.3) {
                    try API.request("GET", "/api/v1/sessions/\(unused.id)", token: token).status == 404
                }
                #expect(broker.logTail(20_000).contains("no viewer attached within 3 s"))
            }
        }

        @Test("a viewer attached across a broker restart is known without reconnecting and keeps its session")
        func viewerAttachedAcrossRestart() throws {
            try BrokerFixture.run("reclaim-restart") { broker in
                try broker.cli(["pool", "set", BrokerFixture.pool, "--attach-window", "3", "--disconnect-grace", "3"])
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                let viewer = try SessionViewer(session: session.id, token: token, label: "reclaim-restart")
                defer { viewer.stop() }
                // All four of remote-viewer's channels (main, display, inputs, cursor), so that the count compared
                // after the restart is not one taken while the viewer was still opening channels.
                let before = try viewer.waitUntilAttached(session: session.id, token: token, channels: 4)

                broker.stop()
                try broker.start()
                // The restarted broker asks QEMU who is attached as soon as it watches the pool's connection.
                let after = try waitFor("the restarted broker to know the viewer is attached", timeout: 10, interval: 0.2) {
                    let seen = try Presence.presence(of: session.id, token: token)
                    return seen.attached ? seen : nil
                }
                print("E2E presence across a broker restart: before \(before), after \(after)")
                #expect(after.channels == before.channels)
                Thread.sleep(forTimeInterval: 6)  // twice the attach window and the grace
                #expect(try API.request("GET", "/api/v1/sessions/\(session.id)", token: token).status == 200)
            }
        }
    }
}
