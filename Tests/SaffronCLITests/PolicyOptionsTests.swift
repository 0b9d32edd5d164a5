import ArgumentParser
import Foundation
import Testing

@testable import saffron

/// `pool create` and `pool set` policy options: parsed once, then sent as the API's policy change.
@Suite struct PolicyOptionsTests {
    @Test func optionsNameOnlyWhatTheyChangeAndOffIsZero() throws {
        let options = try PolicyOptions.parse(["--spares", "2", "--attach-window", "off", "--console-via", "proxy"])
        let patch = options.patch
        #expect(patch.spares == 2 && patch.attachWindowSeconds == 0 && patch.consoleRoute == "proxy")
        #expect(patch.disconnectGraceSeconds == nil && patch.bootLimit == nil, "not named, not sent")
    }

    @Test func noOptionsIsEmpty() throws {
        #expect(try PolicyOptions.parse([]).isEmpty)
        #expect(try !PolicyOptions.parse(["--desktops-per-user", "3"]).isEmpty)
    }

    @Test(arguments: [["--attach-window", "soon"], ["--spares", "two"], ["--idle-shutdown", "-5"], ["--disconnect-grace", "0"]])
    func valuesThatAreNotSecondsOrOffAreRefused(arguments: [String]) {
        #expect(throws: (any Error).self) { try PolicyOptions.parse(arguments) }
    }
}
