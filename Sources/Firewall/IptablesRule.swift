/// One rule of the nat table as iptables arguments: the chain and the match/target arguments.
///
/// Its lines render the way `iptables-save` prints rules, so the forwarder finds what a batch added by comparing
/// text with a snapshot of the table.
public struct IptablesRule: Hashable, Sendable {
    /// The chain holding the rule, e.g. `SAFFRON-DNAT` or `PREROUTING`.
    public var chain: String
    /// The arguments after the chain, e.g. `["-s", "192.0.2.7/32", ...]`.
    public var arguments: [String]

    /// Creates a rule from already validated parts.
    public init(chain: String, arguments: [String]) {
        self.chain = chain
        self.arguments = arguments
    }

    /// The `iptables-restore` line appending this rule: `-A CHAIN args...`.
    public var appendLine: String { line("-A") }

    /// The `iptables-restore` line deleting this rule: `-D CHAIN args...`.
    public var deleteLine: String { line("-D") }

    /// The `iptables-restore` line inserting this rule first in its chain: `-I CHAIN 1 args...`.
    public var insertFirstLine: String { (["-I", chain, "1"] + renderedArguments).joined(separator: " ") }

    private func line(_ command: String) -> String {
        ([command, chain] + renderedArguments).joined(separator: " ")
    }

    /// Arguments as `iptables-save` prints them: the comment value is quoted.
    ///
    /// Callers put only validated tokens in `arguments` (no spaces, quotes or newlines), so quoting
    /// the comment is presentation, not escaping.
    private var renderedArguments: [String] {
        var out: [String] = []
        var previous = ""
        for argument in arguments {
            out.append(previous == "--comment" ? "\"\(argument)\"" : argument)
            previous = argument
        }
        return out
    }
}
