import Foundation

/// How both backends keep a list of strings in one text column (a pool's other hosts, a node's roles): a JSON array.
public enum StringListColumn {
    /// The column's text for `strings`.
    public static func column(_ strings: [String]) -> String {
        guard let data = try? JSONEncoder().encode(strings) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The strings in the column's text; none for text that is not such an array.
    public static func strings(inColumn text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
