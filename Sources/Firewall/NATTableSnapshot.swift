/// The nat table as `iptables-save -t nat` prints it, read once per change: one process instead of one
/// `iptables -C` per rule and jump.
struct NATTableSnapshot: Sendable {
    /// Every chain of the table, built-in and user-defined.
    let chains: Set<String>
    /// Every rule, as its `-A CHAIN ...` line.
    let ruleLines: [String]

    init(saveOutput: String) {
        var chains = Set<String>()
        var lines: [String] = []
        for line in saveOutput.split(separator: "\n") {
            if line.hasPrefix(":"), let name = line.dropFirst().split(separator: " ").first {
                chains.insert(String(name))
            } else if line.hasPrefix("-A ") {
                lines.append(String(line))
            }
        }
        self.chains = chains
        self.ruleLines = lines
    }

    /// Whether the table holds exactly `rule` (its line renders the way `iptables-save` prints).
    func contains(_ rule: IptablesRule) -> Bool {
        ruleLines.contains(rule.appendLine)
    }

    /// The lines of `chains` tagged with `comment`, e.g. every rule of one session, whatever their form.
    func lines(taggedWith comment: String, in chains: Set<String>) -> [String] {
        let tag = "--comment \"\(comment)\""
        return ruleLines.filter { line in
            guard let chain = line.split(separator: " ").dropFirst().first, chains.contains(String(chain)) else { return false }
            return line.contains(tag + " ") || line.hasSuffix(tag)
        }
    }
}

extension String {
    /// The `iptables-restore` line deleting the rule this `-A` line adds.
    var deletingRuleLine: String { "-D" + dropFirst(2) }
}
