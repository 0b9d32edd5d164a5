import Foundation

extension Output {
    /// Prints an API answer as `--json` does: pretty-printed with sorted keys.
    static func apiJSON(_ data: Data) throws {
        let object = try JSONSerialization.jsonObject(with: data)
        let pretty = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: pretty, as: UTF8.self))
    }
}
