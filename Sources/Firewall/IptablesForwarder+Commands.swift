import Logging

extension IptablesForwarder {
    /// Feeds `batch` to `iptables-restore -w --noflush`, throwing with its stderr on failure.
    func restore(_ batch: String) async throws {
        logger.debug("iptables-restore batch", metadata: ["batch": "\(batch)"])
        let result = try await runner.run("iptables-restore", ["-w", "--noflush"], input: batch)
        guard result.status == 0 else {
            throw FirewallError("iptables-restore failed (exit \(result.status)): \(result.stderr.trimmed)")
        }
    }

    /// The nat table now, from `iptables-save -t nat`.
    func snapshot() async throws -> NATTableSnapshot {
        let result = try await runner.run("iptables-save", ["-t", "nat"])
        guard result.status == 0 else {
            throw FirewallError("iptables-save failed (exit \(result.status)): \(result.stderr.trimmed)")
        }
        return NATTableSnapshot(saveOutput: result.stdout)
    }

    /// The owned chains and jumps that do not exist yet, so a batch creates them and never duplicates a jump.
    func missingSetup(_ ruleset: IptablesRuleset, in table: NATTableSnapshot) -> IptablesRuleset.Setup {
        IptablesRuleset.Setup(
            chains: ruleset.ownedChains.filter { !table.chains.contains($0) },
            jumps: ruleset.jumps.filter { !table.contains($0) })
    }
}

extension String {
    /// The string without surrounding whitespace and newlines.
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
