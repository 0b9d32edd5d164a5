import Foundation

/// The repository's own files, read as text: the module table of ARCHITECTURE.md, the targets of `Package.swift`
/// and the imports of each module's sources.
struct Repository {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A target of `Package.swift` with the package's own targets it depends on.
    struct Target {
        var name: String
        var kind: String
        var path: String?
        var dependencies: Set<String>
        var hasSwiftFiles: Bool

        /// A Swift module of the product under `Sources/` (not C code, not test code).
        var isSwiftSource: Bool { (kind == "target" || kind == "executableTarget") && path == nil && hasSwiftFiles }
    }

    func text(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Per module, the Saffron modules it may import, from the table under "Modules and who may import whom".
    func moduleRules() throws -> [String: Set<String>] {
        var rules: [String: Set<String>] = [:]
        var inTable = false
        for line in try text("ARCHITECTURE.md").split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| Module | What it is | May import |") {
                inTable = true
                continue
            }
            guard inTable else { continue }
            guard line.hasPrefix("|") else { break }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4, !cells[1].hasPrefix("---") else { continue }
            rules[cells[1]] = Set(cells[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return rules
    }

    /// The targets `Package.swift` declares, each with the package's own targets it names as dependencies.
    func packageTargets() throws -> [Target] {
        let manifest = try text("Package.swift")
        let start = /\.(target|executableTarget|testTarget|systemLibrary)\(\s*name:\s*"([A-Za-z0-9_-]+)"/
        var targets: [Target] = []
        for match in manifest.matches(of: start) {
            let body = String(Self.balancedArguments(in: manifest, from: match.range.upperBound))
            var dependencies = Set<String>()
            if let list = body.firstMatch(of: /dependencies:\s*\[/) {
                // Bare strings are the package's own targets; `.product(...)` entries are other packages'.
                let items = Self.balanced(in: body, from: list.range.upperBound, open: "[", close: "]")
                    .replacing(/\.product\([^)]*\)/, with: "")
                for item in items.matches(of: /"([A-Za-z0-9_-]+)"/) { dependencies.insert(String(item.1)) }
            }
            let path = body.firstMatch(of: /path:\s*"([^"]+)"/).map { String($0.1) }
            targets.append(
                Target(
                    name: String(match.2), kind: String(match.1), path: path, dependencies: dependencies,
                    hasSwiftFiles: !swiftFiles(ofModule: String(match.2)).isEmpty))
        }
        return targets
    }

    /// The modules imported anywhere in `Sources/<module>`.
    func imports(ofModule module: String) throws -> Set<String> {
        let statement = /^\s*(?:@\w+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([A-Za-z0-9_]+)/
            .anchorsMatchLineEndings()
        var modules = Set<String>()
        for file in swiftFiles(ofModule: module) {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: statement) { modules.insert(String(match.1)) }
        }
        return modules
    }

    /// The Swift files under `Sources/<module>`.
    func swiftFiles(ofModule module: String) -> [URL] {
        let folder = root.appendingPathComponent("Sources").appendingPathComponent(module)
        guard let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return files.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// The text of a call's arguments: from `index` (just past its opening parenthesis) to the matching one.
    static func balancedArguments(in text: String, from index: String.Index) -> Substring {
        balanced(in: text, from: index, open: "(", close: ")")
    }

    static func balanced(in text: String, from index: String.Index, open: Character, close: Character) -> Substring {
        var depth = 1
        var position = index
        while position < text.endIndex {
            if text[position] == open { depth += 1 }
            if text[position] == close {
                depth -= 1
                if depth == 0 { break }
            }
            position = text.index(after: position)
        }
        return text[index..<position]
    }
}
