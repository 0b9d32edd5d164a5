import Foundation

/// Two headless Chromiums in the client namespace, driven by one selenium script: alice's (signed out, then
/// signed in, on the admin page and then in her browser console) and an admin's (the portal's Admin link, the admin
/// page, End session). Like `BrowserScript` it prints one `key value` line per step for the test to follow.
final class BrowserAdminScript {
    /// Where the script saves its screenshots.
    struct Screenshots {
        let deniedToAlice = E2E.artifact("browser-admin-denied.png")
        let adminBefore = E2E.artifact("browser-admin-before.png")
        let adminAfter = E2E.artifact("browser-admin-after.png")
        let aliceAfter = E2E.artifact("browser-admin-alice-ended.png")

        var all: [URL] { [deniedToAlice, adminBefore, adminAfter, aliceAfter] }
    }

    let screenshots = Screenshots()
    let log = E2E.artifact("browser-admin.log")
    /// Created by `allowEnd()`: the script waits for it before the admin presses End session.
    private let goAhead = Scratch.file("browser-admin-go")
    private let process: BackgroundProcess

    /// Starts the script: alice with the test password, and `admin` with `adminPassword`.
    init(admin: String, adminPassword: String) throws {
        try? FileManager.default.removeItem(at: log)
        for screenshot in screenshots.all { try? FileManager.default.removeItem(at: screenshot) }
        let script = Scratch.file("browser-admin.py")
        try Self.source().write(to: script, atomically: true, encoding: .utf8)
        let aliceProfile = try Scratch.directory("chromium-profile-alice")
        let adminProfile = try Scratch.directory("chromium-profile-admin")
        // The first seven arguments are those of BrowserScript.source, whose helpers the script reuses.
        process = try BackgroundProcess(
            Topology.inClient([
                "/usr/bin/python3", "-u", script.path, "admin", BrokerUnderTest.portalOrigin,
                TestUsers.alice, TestUsers.password(TestUsers.alice), screenshots.aliceAfter.path, aliceProfile.path, "-",
                admin, adminPassword, adminProfile.path, screenshots.adminBefore.path, screenshots.adminAfter.path,
                screenshots.deniedToAlice.path, goAhead.path,
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
                throw CommandError(description: "the browser script failed: \(failure)\n\(lines.suffix(4000))")
            }
            if process.wait(timeout: 0) != nil {
                throw CommandError(description: "the browser script ended without \(key):\n\(lines.suffix(4000))")
            }
            return nil
        }
    }

    /// A JSON value the script printed after `key`, decoded.
    func decode<T: Decodable>(_ type: T.Type, key: String, timeout: TimeInterval = 1) throws -> T {
        try JSONDecoder().decode(type, from: Data(try value(of: key, timeout: timeout).utf8))
    }

    /// Lets the admin press End session (the script printed `ready-to-end` and waits for this).
    func allowEnd() throws {
        try Data().write(to: goAhead)
    }

    /// Waits for the script to end (it quits both browsers itself); its exit status.
    func finish(timeout: TimeInterval) -> Int32? {
        process.wait(timeout: timeout)
    }

    /// Ends the script if it still runs; SIGTERM makes it quit both Chromiums and chromedrivers.
    func stop() {
        process.stop(grace: 20)
    }

    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    private static func value(of key: String, in output: String) -> String? {
        for line in output.split(separator: "\n") {
            if line == key { return "" }
            if line.hasPrefix(key + " ") { return String(line.dropFirst(key.count + 1)) }
        }
        return nil
    }

    /// `BrowserScript.source` up to its main program (imports, arguments, `say`, `until`, `status`, `MEASURE`,
    /// `log_in`), then this test's functions and main program.
    static func source() throws -> String {
        let marker = "options = webdriver.ChromeOptions()"
        guard let main = BrowserScript.source.range(of: marker) else {
            throw CommandError(description: "BrowserScript.source has no `\(marker)` line to cut its helpers at")
        }
        return String(BrowserScript.source[..<main.lowerBound]) + adminSource
    }
}
