import Logging

extension IptablesForwarder {
    /// Makes the owned chains hold exactly `rules`, creating chains and jumps if absent.
    ///
    /// One batch declares the owned chains (which, with `--noflush`, flushes them) and adds every
    /// rule, so orphans vanish and missing rules come back atomically. A MASQ chain left from a
    /// time masquerade was on is emptied too.
    public func rebuild(_ rules: [ForwardRule]) async throws {
        let ruleset = try ruleset()
        try await lock.run {
            let existing = try await existingChains()
            var setup = try await missingSetup(ruleset, existing: existing)
            setup.chains = ([ruleset.dnatChain, ruleset.masqueradeChain]).filter {
                ruleset.ownedChains.contains($0) || existing.contains($0)
            }
            try await restore(try ruleset.rebuildBatch(rules, setup: setup))
            logger.info("firewall rebuilt", metadata: ["rules": "\(rules.count)", "backend": "\(summary)"])
        }
    }

    /// Adds the session's DNAT (and MASQUERADE) rules in one batch; already present rules are kept as is.
    public func install(_ rule: ForwardRule) async throws {
        let ruleset = try ruleset()
        let wanted = try ruleset.rules(for: rule)
        try await lock.run {
            var present = true
            for line in wanted where try await !exists(line) { present = false }
            guard !present else {
                logger.debug("forward already installed", metadata: metadata(rule))
                return
            }
            // A rule half present (e.g. masquerade turned on since) is replaced whole.
            let stale = try await presentRules(wanted)
            if !stale.isEmpty { try await restore(ruleset.removeBatch(stale)) }
            try await restore(try ruleset.installBatch(rule, setup: try await missingSetup(ruleset, existing: try await existingChains())))
            logger.info("forward installed", metadata: metadata(rule))
        }
    }

    /// Deletes the session's DNAT and MASQUERADE rules that exist; an absent rule is not an error.
    public func remove(_ rule: ForwardRule) async throws {
        let ruleset = try ruleset()
        let candidates = [try ruleset.dnatRule(rule), try ruleset.masqueradeRule(rule)]
        try await lock.run {
            let present = try await presentRules(candidates)
            guard !present.isEmpty else {
                logger.debug("forward already absent", metadata: metadata(rule))
                return
            }
            try await restore(ruleset.removeBatch(present))
            logger.info("forward removed", metadata: metadata(rule))
        }
    }

    private func presentRules(_ rules: [IptablesRule]) async throws -> [IptablesRule] {
        var present: [IptablesRule] = []
        for rule in rules where try await exists(rule) { present.append(rule) }
        return present
    }

    private func metadata(_ rule: ForwardRule) -> Logger.Metadata {
        [
            "session": "\(rule.sessionID)",
            "client": "\(rule.clientAddress)",
            "public": "\(rule.publicAddress):\(rule.publicPort)",
            "target": "\(rule.targetAddress):\(rule.targetPort)",
        ]
    }
}
