import Foundation
import Testing

/// Settings of an end-to-end run, read from the environment that `Tests/run-all.sh` sets.
enum E2E {
    /// True when `SAFFRON_E2E=1`: a plain `swift test` skips every end-to-end suite.
    static let enabled = ProcessInfo.processInfo.environment["SAFFRON_E2E"] == "1"

    /// The `saffron` binary under test (`SAFFRON_BIN`, an absolute path in `run-all.sh`).
    static let binary = ProcessInfo.processInfo.environment["SAFFRON_BIN"] ?? "saffron"

    /// Where screenshots and broker logs stay after the run, for a person to look at.
    static let artifacts: URL = {
        let path = ProcessInfo.processInfo.environment["SAFFRON_E2E_ARTIFACTS"] ?? "/tmp/saffron-e2e-artifacts"
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// A file under `artifacts`, kept after the run.
    static func artifact(_ name: String) -> URL {
        artifacts.appendingPathComponent(name)
    }
}

/// Parent of every end-to-end suite. `.serialized` applies to nested suites too, so no two tests ever share
/// the namespaces, the test domains or the broker's ports at once.
/// `.e2eHost` clears what an aborted run left before the first test and leaves the host clean after the last.
@Suite(.serialized, .enabled(if: E2E.enabled, "set SAFFRON_E2E=1 (Tests/run-all.sh does)"), .e2eHost)
enum EndToEnd {}

/// Once around the whole end-to-end run: no test domains, no namespaces, no scratch files before and after.
struct E2EHostScope: SuiteTrait, TestScoping {
    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        print("E2E artifacts (screenshots, logs): \(E2E.artifacts.path)")
        TestVMs.cleanup()
        Topology.down()
        defer {
            TestVMs.cleanup()
            Topology.down()
            try? FileManager.default.removeItem(at: Scratch.root)
        }
        try await function()
    }
}

extension Trait where Self == E2EHostScope {
    /// See `E2EHostScope`.
    static var e2eHost: Self { Self() }
}
