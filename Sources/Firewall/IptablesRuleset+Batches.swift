extension IptablesRuleset {
    /// What a batch must create before its rules: absent chains and absent jumps.
    public struct Setup: Sendable, Equatable {
        /// Owned chains to declare (with `--noflush`, declaring also flushes them).
        public var chains: [String]
        /// Jumps to insert first in their built-in chains.
        public var jumps: [IptablesRule]

        /// Creates a setup; `.none` creates nothing.
        public init(chains: [String] = [], jumps: [IptablesRule] = []) {
            self.chains = chains
            self.jumps = jumps
        }

        /// Nothing to create.
        public static let none = Setup()
    }

    /// A batch that creates `setup`, deletes the rules of the `-A` lines `deleting` (as `iptables-save` printed
    /// them, so they exist) and appends `appending`.
    func batch(setup: Setup, deleting: [String], appending: [IptablesRule]) -> String {
        Self.batch(setup: setup, lines: deleting.map(\.deletingRuleLine) + appending.map(\.appendLine))
    }

    /// A batch that flushes the owned chains and refills them with exactly `rules` (deduplicated).
    ///
    /// `setup.chains` should list every owned chain that exists or is needed, so that orphans
    /// vanish and missing rules come back in one atomic step; `setup.jumps` the absent jumps.
    public func rebuildBatch(_ rules: [ForwardRule], setup: Setup) throws(FirewallError) -> String {
        var seen = Set<IptablesRule>()
        var lines: [String] = []
        for rule in rules {
            for line in try self.rules(for: rule) where seen.insert(line).inserted {
                lines.append(line.appendLine)
            }
        }
        return Self.batch(setup: setup, lines: lines)
    }

    /// Assembles `*nat`, chain declarations, jump inserts, `lines` and `COMMIT`.
    static func batch(setup: Setup, lines: [String]) -> String {
        var text = "*nat\n"
        for chain in setup.chains { text += ":\(chain) - [0:0]\n" }
        for jump in setup.jumps { text += jump.insertFirstLine + "\n" }
        for line in lines { text += line + "\n" }
        return text + "COMMIT\n"
    }
}
