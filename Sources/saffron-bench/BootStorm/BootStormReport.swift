import Foundation

/// One scenario's outcome: its name, how many spares it had, and how long filling them took.
struct StormScenario {
    let name: String
    let spares: Int
    let result: StormResult
    let fillTime: Duration?
}

/// The boot storm's human output: the table of both scenarios, the ratios cold/spares and the goal.
enum BootStormReport {
    static let goalMilliseconds = 100.0

    static func print(_ scenarios: [StormScenario], bootLimit: Int) {
        say("")
        say(row(["scenario", "users", "spares", "handout p50", "handout p99", "handout max", "all handed out", "all attached", "failures"]))
        for scenario in scenarios {
            let result = scenario.result
            say(row([
                scenario.name, "\(result.users)", "\(scenario.spares)", time(result.handoutPercentile(0.5)),
                time(result.handoutPercentile(0.99)), time(result.handoutMax), time(result.allHandedOut),
                attached(result), "\(result.failures.count)",
            ]))
        }
        for scenario in scenarios where !scenario.result.usables.isEmpty {
            let usables = scenario.result.usables
            say("\(scenario.name): usable desktop (session shown) p50 \(time(usables[usables.count / 2])), "
                + "all \(time(scenario.result.allUsable)) after the storm began (\(usables.count)/\(scenario.result.users))")
        }
        for scenario in scenarios {
            if let fill = scenario.fillTime {
                say("filling \(scenario.spares) spares (boot limit \(bootLimit)) took \(StormBroker.seconds(fill)) before the storm")
            }
        }
        if let cold = scenarios.first(where: { $0.spares == 0 })?.result,
            let warm = scenarios.first(where: { $0.spares > 0 })?.result
        {
            say("ratio cold/spares: handout p50 \(ratio(cold.handoutPercentile(0.5), warm.handoutPercentile(0.5))), "
                + "all handed out \(ratio(cold.allHandedOut, warm.allHandedOut)), "
                + "all attached \(ratio(cold.allAttached, warm.allAttached))"
                + (cold.allUsable == nil ? "" : ", all usable \(ratio(cold.allUsable, warm.allUsable))"))
        }
        if let warm = scenarios.first(where: { $0.spares > 0 }) {
            say(goal(warm))
        }
        for scenario in scenarios {
            for failure in scenario.result.failures.prefix(5) { say("failure (\(scenario.name)): \(failure)") }
        }
    }

    /// "With spares every handout ≤ 100 ms": met only when every user of the spares scenario got a desktop in time.
    static func goal(_ scenario: StormScenario) -> String {
        let result = scenario.result
        let line = "goal, with spares every handout <= \(Int(goalMilliseconds)) ms:"
        guard result.failures.isEmpty, let slowest = result.handoutMax else {
            return "\(line) not met (\(result.failures.count) of \(result.users) users got no desktop)"
        }
        let spareNote = scenario.spares < result.users ? ", \(result.users - scenario.spares) users had no spare" : ""
        return "\(line) \(slowest <= goalMilliseconds ? "met" : "not met") (slowest \(time(slowest))\(spareNote))"
    }

    /// Progress while setting up, on standard error so the table stands alone on standard output.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func time(_ milliseconds: Double?) -> String {
        guard let milliseconds else { return "-" }
        if milliseconds < 10 { return String(format: "%.1f ms", milliseconds) }
        if milliseconds < 1000 { return String(format: "%.0f ms", milliseconds) }
        return String(format: "%.2f s", milliseconds / 1000)
    }

    /// When all users were attached; if some were not, when the last of the others was and how many they were.
    private static func attached(_ result: StormResult) -> String {
        if let all = result.allAttached { return time(all) }
        guard let last = result.lastAttached else { return "-" }
        return "\(time(last.milliseconds)) (\(last.users)/\(result.users))"
    }

    private static func ratio(_ numerator: Double?, _ denominator: Double?) -> String {
        guard let numerator, let denominator, denominator > 0 else { return "-" }
        return String(format: numerator / denominator < 10 ? "%.1fx" : "%.0fx", numerator / denominator)
    }

    private static func row(_ cells: [String]) -> String {
        zip(cells, [8, 6, 7, 12, 12, 12, 15, 18, 9]).enumerated().map { index, pair in
            index == 0 ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, pair.1 - pair.0.count)) + pair.0
        }.joined(separator: " ")
    }

    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
