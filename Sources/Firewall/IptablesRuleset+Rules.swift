extension IptablesRuleset {
    /// The DNAT rule for a session:
    /// `-s CLIENT/32 -d PUBLIC/32 -p tcp -m tcp --dport PORT -m comment --comment "saffron:ID" -j DNAT --to-destination TARGET:PORT`.
    public func dnatRule(_ rule: ForwardRule) throws(FirewallError) -> IptablesRule {
        let rule = try rule.validated()
        return IptablesRule(chain: dnatChain, arguments: [
            "-s", rule.clientAddress + "/32", "-d", rule.publicAddress + "/32",
            "-p", "tcp", "-m", "tcp", "--dport", String(rule.publicPort),
            "-m", "comment", "--comment", Self.comment(rule),
            "-j", "DNAT", "--to-destination", "\(rule.targetAddress):\(rule.targetPort)",
        ])
    }

    /// The MASQUERADE rule for a session, matching only connections this host DNATed:
    /// `-s CLIENT/32 -d TARGET/32 -p tcp -m tcp --dport TPORT -m conntrack --ctstate DNAT -m comment ... -j MASQUERADE`.
    ///
    /// It is rendered even with masquerade off, so that ``IptablesForwarder/remove(_:)`` can clean
    /// up a rule left from a time masquerade was on.
    public func masqueradeRule(_ rule: ForwardRule) throws(FirewallError) -> IptablesRule {
        let rule = try rule.validated()
        return IptablesRule(chain: masqueradeChain, arguments: [
            "-s", rule.clientAddress + "/32", "-d", rule.targetAddress + "/32",
            "-p", "tcp", "-m", "tcp", "--dport", String(rule.targetPort),
            "-m", "conntrack", "--ctstate", "DNAT",
            "-m", "comment", "--comment", Self.comment(rule),
            "-j", "MASQUERADE",
        ])
    }

    /// The rules one session needs: its DNAT rule, plus its MASQUERADE rule with masquerade on.
    public func rules(for rule: ForwardRule) throws(FirewallError) -> [IptablesRule] {
        masquerade ? [try dnatRule(rule), try masqueradeRule(rule)] : [try dnatRule(rule)]
    }
}
