import Foundation

/// What a screenshot shows of the pattern: the share of the screen in each saturated colour of its bars.
struct PatternMeasure: CustomStringConvertible {
    static let bars: [(name: String, red: Double, green: Double, blue: Double)] = [
        ("yellow", 255, 255, 0), ("cyan", 0, 255, 255), ("green", 0, 255, 0),
        ("magenta", 255, 0, 255), ("red", 255, 0, 0), ("blue", 0, 0, 255),
    ]

    /// Per entry of `bars`, the share of the screen within 24 levels of that colour.
    let shares: [Double]

    /// Each bar of the 640x480 pattern is about 91x320 pixels, 2.8% of the 1280x800 screen; nothing else on the white
    /// screen and the viewer's grey window comes near these colours.
    var showsBars: Bool { shares.allSatisfy { $0 >= 0.01 } }

    var description: String {
        zip(Self.bars, shares).map { "\($0.name) \(String(format: "%.3f", $1))" }.joined(separator: ", ")
    }

    /// Measures a PNG from ImageMagick's histogram, whose lines look like "     29440: (255,0,255) #FF00FF magenta".
    static func of(_ png: URL) throws -> PatternMeasure {
        let histogram = try Command.check(["convert", png.path, "-format", "%c", "histogram:info:-"]).output
        var total = 0.0
        var counts = Array(repeating: 0.0, count: bars.count)
        for line in histogram.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":"),
                  let count = Double(line[..<colon].trimmingCharacters(in: .whitespaces)),
                  let open = line.firstIndex(of: "("), let close = line[open...].firstIndex(of: ")") else { continue }
            total += count
            let channels = line[line.index(after: open)..<close].split(separator: ",")
                .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard channels.count >= 3 else { continue }
            for (index, bar) in bars.enumerated() where zip(channels, [bar.red, bar.green, bar.blue])
                .allSatisfy({ abs($0 - $1) <= 24 }) {
                counts[index] += count
            }
        }
        guard total > 0 else { throw CommandError(description: "convert printed no histogram for \(png.path)") }
        return PatternMeasure(shares: counts.map { $0 / total })
    }
}
