import Foundation

/// What a person sees after opening a .vv file in remote-viewer.
enum ViewerOutcome: Equatable, CustomStringConvertible {
    /// A large black area with text in it: the guest's SeaBIOS console.
    case guestScreen(ScreenMeasure)
    /// The viewer's password dialog: the SPICE server refused the ticket.
    case authenticationRequired(ScreenMeasure)
    /// The viewer quit before showing anything.
    case viewerExited(status: Int32)
    /// Neither came within the time limit.
    case nothingShown(ScreenMeasure)

    var showsGuest: Bool {
        if case .guestScreen = self { return true }
        return false
    }

    /// The last screenshot's measure, if one was taken.
    var measure: ScreenMeasure? {
        switch self {
        case .guestScreen(let measure), .authenticationRequired(let measure), .nothingShown(let measure): measure
        case .viewerExited: nil
        }
    }

    /// The viewer was turned away without showing the guest: its password dialog, or it quit with an error
    /// (which remote-viewer sometimes does at once on a refused ticket).
    var wasRefused: Bool {
        switch self {
        case .authenticationRequired(let measure): !measure.showsGuestConsole
        case .viewerExited(let status): status != 0
        case .guestScreen, .nothingShown: false
        }
    }

    var description: String {
        switch self {
        case .guestScreen(let measure): "guest console shown (\(measure))"
        case .authenticationRequired(let measure): "password dialog (\(measure))"
        case .viewerExited(let status): "remote-viewer exited with \(status)"
        case .nothingShown(let measure): "no guest console (\(measure))"
        }
    }
}

/// remote-viewer on a .vv file, inside the client namespace on a `VirtualDisplay`.
final class RemoteViewer {
    private let process: BackgroundProcess

    /// Starts remote-viewer and waits until it has opened the display (its leader window shows) or quit. Now and
    /// then, under load, it finds a display that just answered `xwininfo` closed ("cannot open display") and quits
    /// before touching the .vv file; it is then started again, twice at most.
    init(file: URL, display: VirtualDisplay, log: URL) throws {
        var attempt = 1
        while true {
            let process = try BackgroundProcess(
                Topology.inClient(["env", "DISPLAY=\(display.name)", "remote-viewer", file.path]),
                stdout: log, stderr: log)
            let opened = try waitFor("remote-viewer to open \(display.name) or quit", timeout: 30, interval: 0.2) { () -> Bool? in
                if process.wait(timeout: 0) != nil { return false }
                return try display.windowNames().isEmpty ? nil : true
            }
            let refused = ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("cannot open display")
            if opened || !refused || attempt == 3 {
                self.process = process
                return
            }
            print("E2E: remote-viewer could not open \(display.name) (try \(attempt)); starting it again")
            attempt += 1
        }
    }

    var exitStatus: Int32? { process.wait(timeout: 0) }

    func stop() {
        process.stop(grace: 5)
    }
}

extension VirtualDisplay {
    /// Opens `file` in remote-viewer and polls screenshots until the guest's console shows (SeaBIOS text on black;
    /// a freshly started guest is black without text for a moment), the viewer asks for a password, or it quits; the last screenshot stays at `screenshot`. The viewer is closed before returning.
    func open(_ file: URL, screenshot: URL, timeout: TimeInterval = 40) throws -> ViewerOutcome {
        let log = screenshot.deletingPathExtension().appendingPathExtension("remote-viewer.log")
        try? FileManager.default.removeItem(at: log)
        let viewer = try RemoteViewer(file: file, display: self, log: log)
        defer { viewer.stop() }
        var last = ScreenMeasure.nothing
        do {
            return try waitFor("remote-viewer to show the guest or ask for a password", timeout: timeout,
                               interval: 0.5) { () -> ViewerOutcome? in
                if let status = viewer.exitStatus { return .viewerExited(status: status) }
                let windows = try windowNames()
                // "Remote Viewer" is the 10x10 leader window; the real one is named after the .vv's title.
                guard windows.contains(where: { $0 != "Remote Viewer" }) else { return nil }
                try self.screenshot(to: screenshot)
                last = try ScreenMeasure.of(screenshot)
                if windows.contains("Authentication required") { return .authenticationRequired(last) }
                return last.showsGuestConsole ? .guestScreen(last) : nil
            }
        } catch is WaitTimeout {
            return .nothingShown(last)
        }
    }
}

/// The `[virt-viewer]` group of a .vv file (a GKeyFile), key to value.
enum VirtViewerFile {
    static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        var inGroup = false
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                inGroup = trimmed == "[virt-viewer]"
            } else if inGroup, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") {
                let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                values[key] = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return values
    }

    /// A .vv file for `host:port` with `password`, as the hand-made checks need one.
    static func render(host: String, port: Int, password: String, title: String) -> String {
        """
        [virt-viewer]
        type=spice
        host=\(host)
        port=\(port)
        password=\(password)
        title=\(title)
        delete-this-file=1

        """
    }

    /// The same file with its `password=` line replaced: the negative control.
    static func replacingPassword(in text: String, with password: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("password=") ? "password=\(password)" : String($0) }
            .joined(separator: "\n")
    }
}
