/// Pure rendering of the nat-table rules Saffron owns, as `iptables-restore --noflush` input.
///
/// It owns `<chain>-DNAT` (jumped to from PREROUTING and OUTPUT, so forwarded and locally made
/// connections both match) and, with masquerade on, `<chain>-MASQ` (jumped to from POSTROUTING),
/// so the hypervisor's replies return through this host without extra routes.
public struct IptablesRuleset: Sendable, Equatable {
    /// The longest base chain name: iptables chain names hold at most 28 characters.
    public static let maxChainLength = 23

    /// The base name, e.g. `SAFFRON`.
    public let chain: String
    /// Whether per-session MASQUERADE rules are rendered.
    public let masquerade: Bool

    /// Creates a ruleset, or throws when `chain` is not 1-23 of `A-Z a-z 0-9 _ -` starting with a letter.
    public init(chain: String = "SAFFRON", masquerade: Bool = false) throws(FirewallError) {
        guard let first = chain.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              chain.count <= Self.maxChainLength,
              chain.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") })
        else { throw FirewallError("invalid chain name \(String(reflecting: chain)): use 1-\(Self.maxChainLength) of A-Z a-z 0-9 _ - starting with a letter") }
        self.chain = chain
        self.masquerade = masquerade
    }

    /// The chain holding the DNAT rules, e.g. `SAFFRON-DNAT`.
    public var dnatChain: String { chain + "-DNAT" }
    /// The chain holding the MASQUERADE rules, e.g. `SAFFRON-MASQ`.
    public var masqueradeChain: String { chain + "-MASQ" }

    /// The chains this ruleset uses (the MASQ chain only with masquerade on).
    public var ownedChains: [String] { masquerade ? [dnatChain, masqueradeChain] : [dnatChain] }

    /// The jump rules from the built-in chains into the owned chains.
    public var jumps: [IptablesRule] {
        var jumps = [
            IptablesRule(chain: "PREROUTING", arguments: ["-j", dnatChain]),
            IptablesRule(chain: "OUTPUT", arguments: ["-j", dnatChain]),
        ]
        if masquerade { jumps.append(IptablesRule(chain: "POSTROUTING", arguments: ["-j", masqueradeChain])) }
        return jumps
    }

    /// A short comment tying a rule to its session: `saffron:<sessionID>`.
    static func comment(_ rule: ForwardRule) -> String { "saffron:" + rule.sessionID }
}
