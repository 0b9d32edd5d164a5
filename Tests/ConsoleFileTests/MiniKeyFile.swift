/// A tiny GKeyFile reader for tests: groups, `key=value` lines and GLib's value unescaping.
struct MiniKeyFile {
    /// Every `(group, key, value)` in file order, duplicates kept.
    var entries: [(group: String, key: String, value: String)] = []

    init(_ text: String) {
        var group = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                group = String(line.dropFirst().dropLast())
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingSpaces()
            let raw = line[line.index(after: eq)...].drop { $0 == " " }
            entries.append((group, key, Self.unescape(raw)))
        }
    }

    /// All values of `key` in `group`.
    func values(_ key: String, in group: String = "virt-viewer") -> [String] {
        entries.filter { $0.group == group && $0.key == key }.map(\.value)
    }

    /// The distinct group names.
    var groups: [String] { Array(Set(entries.map(\.group))).sorted() }

    static func unescape(_ raw: Substring) -> String {
        var out = ""
        var escaping = false
        for ch in raw {
            if escaping {
                switch ch {
                case "s": out += " "
                case "n": out += "\n"
                case "r": out += "\r"
                case "t": out += "\t"
                case "\\": out += "\\"
                default: out += "\\" + String(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
