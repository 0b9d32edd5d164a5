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
            let table = try await snapshot()
            var setup = missingSetup(ruleset, in: table)
            setup.chains = ([ruleset.dnatChain, ruleset.masqueradeChain]).filter {
                ruleset.ownedChains.contains($0) || table.chains.contains($0)
            }
            try await restore(try ruleset.rebuildBatch(rules, setup: setup))
            logger.info("firewall rebuilt", metadata: ["rules": "\(rules.count)", "backend": "\(summary)"])
        }
    }

    public func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool {
        let ruleset = try ruleset()
        return try await lock.run {
            let rules = try await wanted()
            let table = try await snapshot()
            var wantedLines = Set<String>()
            for rule in rules {
                for line in try ruleset.rules(for: rule) { wantedLines.insert(line.appendLine) }
            }
            let owned = Set(ruleset.ownedChains)
            let present = table.ruleLines.filter { line in
                line.split(separator: " ").dropFirst().first.map { owned.contains(String($0)) } ?? false
            }
            var setup = missingSetup(ruleset, in: table)
            guard setup != .none || Set(present) != wantedLines || present.count != wantedLines.count else { return false }
            setup.chains = ([ruleset.dnatChain, ruleset.masqueradeChain]).filter {
                ruleset.ownedChains.contains($0) || table.chains.contains($0)
            }
            try await restore(try ruleset.rebuildBatch(rules, setup: setup))
            logger.notice(
                "firewall had drifted from the sessions; rebuilt",
                metadata: ["rules": "\(rules.count)", "found": "\(present.count)", "wanted": "\(wantedLines.count)"])
            return true
        }
    }

    /// Adds the session's DNAT (and MASQUERADE) rules in one batch, replacing other rules of the same session
    /// (e.g. from before masquerade was turned on); a session already installed as wanted costs no batch.
    public func install(_ rule: ForwardRule) async throws {
        let ruleset = try ruleset()
        let wanted = try ruleset.rules(for: rule)
        try await lock.run {
            let table = try await snapshot()
            let wantedLines = Set(wanted.map(\.appendLine))
            let stale = table.lines(taggedWith: IptablesRuleset.comment(rule), in: ownedChains(ruleset))
                .filter { !wantedLines.contains($0) }
            let missing = wanted.filter { !table.contains($0) }
            guard !missing.isEmpty || !stale.isEmpty else {
                logger.debug("forward already installed", metadata: metadata(rule))
                return
            }
            try await restore(ruleset.batch(
                setup: missingSetup(ruleset, in: table), deleting: stale, appending: missing))
            logger.info("forward installed", metadata: metadata(rule))
        }
    }

    /// Deletes every rule of the session in the owned chains, in one batch, and the session's tracked connections;
    /// an absent rule is not an error.
    public func remove(_ rule: ForwardRule) async throws {
        let ruleset = try ruleset()
        let rule = try rule.validated()
        try await lock.run {
            let present = try await snapshot().lines(taggedWith: IptablesRuleset.comment(rule), in: ownedChains(ruleset))
            if present.isEmpty {
                logger.debug("forward already absent", metadata: metadata(rule))
            } else {
                try await restore(ruleset.batch(setup: .none, deleting: present, appending: []))
                logger.info("forward removed", metadata: metadata(rule))
            }
            await ConntrackCleanup(runner: runner, logger: logger).forgetConnections(of: rule)
        }
    }

    /// The DNAT rules in the owned chain, one per session.
    public func forwardedSessions() async throws -> Int {
        let ruleset = try ruleset()
        return try await snapshot().ruleLines.filter { $0.hasPrefix("-A \(ruleset.dnatChain) ") }.count
    }

    /// Both owned chains, including the MASQ chain when masquerade is off (it may hold rules from before).
    private func ownedChains(_ ruleset: IptablesRuleset) -> Set<String> {
        [ruleset.dnatChain, ruleset.masqueradeChain]
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
