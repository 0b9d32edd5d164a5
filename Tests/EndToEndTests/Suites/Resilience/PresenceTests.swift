import Foundation
import Testing

extension EndToEnd {
    /// Presence without a guest agent: the broker follows the SPICE server's graphics events through libvirt and
    /// tells the user and the admins whether a viewer is really attached.
    @Suite struct Presence {
        @Test("the API shows remote-viewer attaching to the desktop and leaving it")
        func viewerAttachesAndLeaves() throws {
            try BrokerFixture.run("presence") { _ in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                let before = try Self.presence(of: session.id, token: token)
                #expect(before.attached == false && before.channels == 0, "no viewer yet: \(before)")

                let viewer = try SessionViewer(session: session.id, token: token, label: "presence")
                defer { viewer.stop() }

                // remote-viewer opens main, display, inputs and cursor channels, one after the other.
                let attached = try viewer.waitUntilAttached(session: session.id, token: token)
                print("E2E presence with remote-viewer: \(attached)")
                #expect(attached.changedAt != nil)
                let admin = try API.request("GET", "/api/v1/sessions", token: token).json()?["sessions"] as? [[String: Any]]
                #expect(admin?.first?["attached"] as? Bool == true, "the list says so too: \(String(describing: admin))")

                viewer.stop()
                let left = try waitFor("the broker to see remote-viewer leave", timeout: 15, interval: 0.2) {
                    let now = try Self.presence(of: session.id, token: token)
                    return now.attached ? nil : now
                }
                print("E2E presence after remote-viewer quit: \(left)")
                #expect(left.channels == 0)
            }
        }

        struct Seen: CustomStringConvertible {
            let attached: Bool
            let channels: Int
            let changedAt: String?
            var description: String { "attached \(attached), \(channels) channel(s), changed \(changedAt ?? "never")" }
        }

        static func presence(of session: String, token: String) throws -> Seen {
            let response = try API.request("GET", "/api/v1/sessions/\(session)", token: token)
            let json = try #require(response.json(), "\(response)")
            return Seen(
                attached: try #require(json["attached"] as? Bool, "\(response)"),
                channels: try #require(json["attachedChannels"] as? Int, "\(response)"),
                changedAt: json["presenceChangedAt"] as? String)
        }
    }
}
