import ArgumentParser
import SaffronAPI

/// The options of a command that shows something: which broker (`TargetOptions`), and `--json`.
struct ShowOptions: ParsableArguments {
    @OptionGroup var target: TargetOptions
    @Flag(help: "Print JSON: the API's answer as its OpenAPI document describes it, locally and remotely alike.")
    var json = false

    /// Asks the API with `fetch` and prints the answer: as JSON with `--json`, else for people with `show`.
    func show<Answer: Encodable & Sendable>(
        _ fetch: (any APIProtocol) async throws -> Answer, as show: (Answer) throws -> Void
    ) async throws {
        let answer = try await target.withAPI(fetch)
        if json { return try Output.json(answer) }
        try show(answer)
    }
}
