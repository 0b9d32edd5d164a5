import Foundation

/// A selenium script driving headless Chromium inside the client namespace. The script prints one `key value` line
/// per step (values are JSON where they are more than a word) and `fail REASON` when a step fails, so a test can
/// follow it and act in between. The portal, admin and phone scripts are subclasses that choose script and arguments;
/// the scripts are files in `Scripts/` that import `saffron_browser.py`.
class BrowserRun {
    private let process: BackgroundProcess
    let log: URL
    /// How long `stop()` lets the script quit its browsers before killing it.
    private let grace: TimeInterval

    /// Runs `script` (a file in `Scripts/`) with `/usr/bin/python3 -B -u` and `arguments` in the client namespace;
    /// output goes to the artifact `<name>.log`. `-B`: importing `saffron_browser` writes no bytecode cache into the
    /// test bundle.
    init(name: String, script: String, arguments: [String], grace: TimeInterval = 15) throws {
        log = E2E.artifact("\(name).log")
        self.grace = grace
        try? FileManager.default.removeItem(at: log)
        process = try BackgroundProcess(
            Topology.inClient(["/usr/bin/python3", "-B", "-u", try TestScripts.path(script)] + arguments),
            stdout: log, stderr: log)
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

    /// Waits for the script to end (it quits its browsers itself); its exit status.
    func finish(timeout: TimeInterval) -> Int32? {
        process.wait(timeout: timeout)
    }

    /// Ends the script if it still runs; SIGTERM makes it quit Chromium and chromedriver first.
    func stop() {
        process.stop(grace: grace)
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
