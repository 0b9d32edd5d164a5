import Foundation

/// What the browser's canvas showed, as the browser script measured it from its pixels.
struct CanvasMeasure: Decodable, CustomStringConvertible {
    let width: Int
    let height: Int
    /// The share of the canvas's pixels that are opaque and darker than 10% grey.
    let dark: Double
    /// The share that are opaque and lighter than 50% grey: the console's text.
    let light: Double

    /// The SeaBIOS console (a black 720x400 screen with grey text); an undrawn, transparent canvas has neither.
    var showsGuestConsole: Bool { dark >= 0.5 && light >= 0.004 }

    var description: String {
        String(format: "canvas %dx%d: dark %.3f, light %.4f", width, height, dark, light)
    }
}

/// Headless Chromium, driven with selenium by a Python script inside the client namespace, on the broker's pages.
/// The script prints one `key value` line per step (values are JSON where they are more than a word), so the test
/// can follow it and act in between: it waits for `ready-for-end`, ends the session, and waits for `ended`.
final class BrowserScript {
    enum Mode: String {
        /// Sign in, Connect in browser on the office pool, wait for the drawn desktop, screenshot, then wait for
        /// the page to say the session ended.
        case desktop
        /// Open console.html for a session that does not exist, signed out and then signed in.
        case bogusSession = "bogus"
    }

    private let process: BackgroundProcess
    let log: URL

    /// Starts the script as alice against the broker's portal; the screenshot goes to `screenshot`.
    init(_ mode: Mode, screenshot: URL, bogusSession: String = "999999") throws {
        log = E2E.artifact("browser-\(mode.rawValue).log")
        try? FileManager.default.removeItem(at: log)
        try? FileManager.default.removeItem(at: screenshot)
        let script = Scratch.file("browser-portal.py")
        try Self.source.write(to: script, atomically: true, encoding: .utf8)
        let profile = try Scratch.directory("chromium-profile")
        process = try BackgroundProcess(
            Topology.inClient([
                "/usr/bin/python3", "-u", script.path, mode.rawValue, BrokerUnderTest.portalOrigin,
                TestUsers.alice, TestUsers.password(TestUsers.alice), screenshot.path, profile.path, bogusSession,
            ]), stdout: log, stderr: log)
        print("E2E browser log: \(log.path)")
    }

    /// The value of the first `key` line, waiting up to `timeout` seconds; throws when the script failed or ended
    /// without printing it.
    @discardableResult
    func value(of key: String, timeout: TimeInterval) throws -> String {
        try waitFor("the browser script to print \(key)", timeout: timeout, interval: 0.1) {
            let lines = output
            if let value = Self.value(of: key, in: lines) { return value }
            if let failure = Self.value(of: "fail", in: lines) {
                throw CommandError(description: "the browser script failed: \(failure)\n\(lines.suffix(3000))")
            }
            if process.wait(timeout: 0) != nil {
                throw CommandError(description: "the browser script ended without \(key):\n\(lines.suffix(3000))")
            }
            return nil
        }
    }

    /// A JSON value the script printed after `key`, decoded.
    func decode<T: Decodable>(_ type: T.Type, key: String, timeout: TimeInterval = 1) throws -> T {
        try JSONDecoder().decode(type, from: Data(try value(of: key, timeout: timeout).utf8))
    }

    /// Waits for the script to end (it quits the browser itself); its exit status.
    func finish(timeout: TimeInterval) -> Int32? {
        process.wait(timeout: timeout)
    }

    /// Ends the script if it still runs. SIGTERM makes it quit Chromium and chromedriver before exiting.
    func stop() {
        process.stop(grace: 15)
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    private static func value(of key: String, in output: String) -> String? {
        for line in output.split(separator: "\n") {
            if line == key { return "" }
            if line.hasPrefix(key + " ") { return String(line.dropFirst(key.count + 1)) }
        }
        return nil
    }
}
