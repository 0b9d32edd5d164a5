import Foundation
import Testing

extension EndToEnd {
    /// Ending a session must not leave its user looking at a VM that goes to the next user.
    @Suite struct SessionCut {
        @Test("ending a session cuts the live remote-viewer connection", arguments: ["iptables", "nftables"])
        func endCutsLiveViewer(firewall: String) throws {
            try BrokerFixture.run("session-cut-\(firewall)", firewall: firewall) { broker in
                let token = try API.login(TestUsers.alice)
                let (_, maybeSession) = try API.requestDesktop(BrokerFixture.pool, token: token)
                let session = try #require(maybeSession)
                let console = try API.console(session.id, token: token)
                let file = Scratch.file("cut.vv")
                try console.body.write(to: file)

                let display = try VirtualDisplay(log: E2E.artifact("session-cut-\(firewall)-xvfb.log"))
                defer { display.stop() }
                let viewer = try RemoteViewer(
                    file: file, display: display, log: E2E.artifact("session-cut-\(firewall).remote-viewer.log"))
                defer { viewer.stop() }
                let shot = E2E.artifact("session-cut-\(firewall)-before.png")
                try waitUntil("remote-viewer to show the guest", timeout: 40, interval: 0.5) {
                    guard try display.windowNames().contains(where: { $0 != "Remote Viewer" }) else { return false }
                    try display.screenshot(to: shot)
                    return try ScreenMeasure.of(shot).showsGuestConsole
                }
                #expect(try Self.viewerConnections(port: session.port) > 0)

                let ended = Date()
                #expect(try API.release(session.id, token: token).status == 204)
                try waitUntil("remote-viewer's SPICE connections to close", timeout: 10, interval: 0.2) {
                    try Self.viewerConnections(port: session.port) == 0
                }
                print("E2E (\(firewall)): remote-viewer cut \(String(format: "%.1f", Date().timeIntervalSince(ended))) s after DELETE")
            }
        }

        /// Established TCP connections from the client namespace to the session's public port.
        static func viewerConnections(port: Int) throws -> Int {
            let output = try Command.check(Topology.inClient(["ss", "-Htn", "state", "established", "dport", "=", ":\(port)"])).output
            return output.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        }
    }
}
