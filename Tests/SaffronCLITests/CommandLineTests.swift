import ArgumentParser
import Testing

@testable import saffron

/// Command lines the CLI refuses before doing anything, with a message that says what to do and exit status 64.
@Suite struct CommandLineTests {
    @Test(arguments: [
        (["pool", "grant", "office"], "Say who"),
        (["pool", "frobnicate"], "frobnicate"),
        (["session", "end"], "Missing expected argument"),
    ])
    func badCommandLinesAreRefusedSayingWhy(arguments: [String], message: String) {
        do {
            _ = try Saffron.parseAsRoot(arguments)
            Issue.record("\(arguments) was accepted")
        } catch {
            #expect(Saffron.message(for: error).contains(message), "\(Saffron.message(for: error))")
            #expect(Saffron.exitCode(for: error).rawValue == 64)
        }
    }

    @Test func everyCommandSaysWhatItDoesInItsHelp() {
        func visit(_ command: any ParsableCommand.Type, _ path: String) {
            #expect(!command.configuration.abstract.isEmpty, "`\(path)` has no abstract for --help")
            #expect(Saffron.helpMessage(for: command).contains("USAGE:"), "`\(path) --help`")
            for subcommand in command.configuration.subcommands {
                visit(subcommand, path + " " + (subcommand.configuration.commandName ?? "\(subcommand)"))
            }
        }
        visit(Saffron.self, "saffron")
    }
}
