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

    /// Whether `rule` exists, by `iptables -w -t nat -C`: exit 0 yes, 1 no (also when its chain is
    /// absent), anything else an error.
    func exists(_ rule: IptablesRule) async throws -> Bool {
        let result = try await runner.run("iptables", rule.checkArguments)
        switch result.status {
        case 0: return true
        case 1: return false
        default:
            throw FirewallError("iptables -C \(rule.chain) failed (exit \(result.status)): \(result.stderr.trimmed)")
        }
    }

    /// The names of all chains of the nat table, from `iptables-save -t nat`.
    func existingChains() async throws -> Set<String> {
        let result = try await runner.run("iptables-save", ["-t", "nat"])
        guard result.status == 0 else {
            throw FirewallError("iptables-save failed (exit \(result.status)): \(result.stderr.trimmed)")
        }
        var chains = Set<String>()
        for line in result.stdout.split(separator: "\n") where line.hasPrefix(":") {
            if let name = line.dropFirst().split(separator: " ").first { chains.insert(String(name)) }
        }
        return chains
    }

    /// The owned chains and jumps that do not exist yet; jumps are checked with `-C`, never duplicated.
    func missingSetup(_ ruleset: IptablesRuleset, existing: Set<String>) async throws -> IptablesRuleset.Setup {
        var setup = IptablesRuleset.Setup()
        setup.chains = ruleset.ownedChains.filter { !existing.contains($0) }
        for jump in ruleset.jumps {
            // A jump into a chain that does not exist yet cannot exist either (and -C would fail).
            let target = jump.arguments.last ?? ""
            let present = existing.contains(target) ? try await exists(jump) : false
            if !present { setup.jumps.append(jump) }
        }
        return setup
    }
}

extension String {
    /// The string without surrounding whitespace and newlines.
    var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
