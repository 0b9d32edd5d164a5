import Foundation

/// How both backends keep a pool's other hosts in one text column: a JSON array of connection URIs.
public enum ConnectURIList {
    /// The column's text for `uris`.
    public static func column(_ uris: [String]) -> String {
        guard let data = try? JSONEncoder().encode(uris) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The URIs in the column's text; none for text that is not such an array.
    public static func uris(inColumn text: String?) -> [String] {
        guard let text else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
