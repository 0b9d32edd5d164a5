import Foundation

/// What `list table ip <table>` (JSON) shows of Saffron's table: its chains, rules per chain and elements.
struct NftablesListing: Equatable {
    /// Chain name to the number of rules in it.
    var rules: [String: Int] = [:]
    /// Elements written as `NftablesRuleset.elements(for:)` writes them: `forwards A . B . P : C . Q`,
    /// `masqueraded A . C . Q`.
    var elements: Set<String> = []

    /// The chains the table must have, each with its one rule.
    static let expectedRules = ["prerouting": 2, "output": 2, "postrouting": 1, "cut": 1, "cutlocal": 1]

    /// Reads libnftables' JSON listing; an empty or unreadable one reads as no table.
    init(json: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let items = object["nftables"] as? [[String: Any]]
        else { return }
        for item in items {
            if let chain = item["chain"] as? [String: Any], let name = chain["name"] as? String {
                rules[name] = rules[name] ?? 0  // a chain without rules still counts as there
            } else if let rule = item["rule"] as? [String: Any], let chain = rule["chain"] as? String {
                rules[chain, default: 0] += 1
            } else if let map = item["map"] as? [String: Any], let name = map["name"] as? String {
                for element in map["elem"] as? [Any] ?? [] { insert(element, into: name) }
            } else if let set = item["set"] as? [String: Any], let name = set["name"] as? String {
                for element in set["elem"] as? [Any] ?? [] { insert(element, into: name) }
            }
        }
    }

    init() {}

    /// Whether the table is there with its chains and their rules, as `NftablesRuleset.declaration` makes them.
    var isComplete: Bool { rules == Self.expectedRules }

    private mutating func insert(_ element: Any, into collection: String) {
        if let pair = element as? [Any], pair.count == 2 {
            elements.insert("\(collection) \(Self.text(pair[0])) : \(Self.text(pair[1]))")
        } else {
            elements.insert("\(collection) \(Self.text(element))")
        }
    }

    /// A key or value: `{"concat": [...]}` joined with ` . `, or a single address or port.
    private static func text(_ value: Any) -> String {
        if let object = value as? [String: Any] {
            if let parts = object["concat"] as? [Any] { return parts.map(text).joined(separator: " . ") }
            if let inner = object["elem"] as? [String: Any], let val = inner["val"] { return text(val) }
        }
        return "\(value)"
    }
}
