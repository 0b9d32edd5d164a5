import ArgumentParser
import Foundation
import Store
import Testing

@testable import saffron

/// `pool create` and `pool set` policy options: parsed once, then applied to the local store or sent as the admin
/// API's policy change, naming the same fields either way.
@Suite struct PolicyOptionsTests {
    @Test func optionsChangeOnlyWhatTheyNameLocallyAndRemotely() throws {
        let options = try PolicyOptions.parse(["--spares", "2", "--attach-window", "off", "--console-via", "proxy"])
        var policy = PoolPolicy()
        options.apply(to: &policy)
        #expect(policy.spares == 2 && policy.attachWindowSeconds == nil && policy.consoleRoute.rawValue == "proxy")
        #expect(policy.disconnectGraceSeconds == PoolPolicy().disconnectGraceSeconds, "not named, not changed")

        let patch = options.patch
        #expect(Set(patch.keys) == ["spares", "attachWindowSeconds", "consoleRoute"])
        #expect(patch["spares"] as? Int == 2 && patch["attachWindowSeconds"] is NSNull && patch["consoleRoute"] as? String == "proxy")
    }

    @Test func noOptionsIsEmpty() throws {
        #expect(try PolicyOptions.parse([]).isEmpty)
        #expect(try !PolicyOptions.parse(["--desktops-per-user", "3"]).isEmpty)
    }

    @Test(arguments: [["--attach-window", "soon"], ["--spares", "two"], ["--idle-shutdown", "-5"]])
    func valuesThatAreNotSecondsOrOffAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try PolicyOptions.parse(arguments) }
    }
}
