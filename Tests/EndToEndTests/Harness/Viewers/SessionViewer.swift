import Foundation

/// remote-viewer on a virtual display of its own, opened on a fresh console file of a session: a user attached to
/// their desktop. `stop()` closes both (safe to call more than once).
final class SessionViewer {
    let display: VirtualDisplay
    let viewer: RemoteViewer

    /// `label` names the console file and the logs kept as artifacts; `route` is the console file's `?via=`.
    init(session: String, token: String, label: String, via route: String? = nil) throws {
        let file = Scratch.file("\(label).vv")
        try API.console(session, token: token, via: route).body.write(to: file)
        display = try VirtualDisplay(log: E2E.artifact("\(label)-xvfb.log"))
        do {
            viewer = try RemoteViewer(file: file, display: display, log: E2E.artifact("\(label).remote-viewer.log"))
        } catch {
            display.stop()
            throw error
        }
    }

    /// Waits until the broker sees at least `channels` of the viewer's SPICE channels attached; what it saw then.
    func waitUntilAttached(session: String, token: String, channels: Int = 2) throws -> EndToEnd.Presence.Seen {
        try waitFor("the broker to see remote-viewer's channels attached", timeout: 40, interval: 0.5) {
            let seen = try EndToEnd.Presence.presence(of: session, token: token)
            return seen.attached && seen.channels >= channels ? seen : nil
        }
    }

    func stop() {
        viewer.stop()
        display.stop()
    }
}
