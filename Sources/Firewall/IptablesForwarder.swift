import Logging

/// The iptables backend: one DNAT rule per session in Saffron's own nat chain.
///
/// Every change is one `iptables-restore -w --noflush` batch, so the nat table never holds half a
/// change. Operations of one forwarder (and its copies) run one at a time; two forwarders sharing a
/// chain are not coordinated.
public struct IptablesForwarder: PortForwarder {
    /// The base chain name; the forwarder owns `<chain>-DNAT` and `<chain>-MASQ`.
    public let chain: String
    /// Whether per-session MASQUERADE rules are added.
    public let masquerade: Bool
    /// When set, every program runs as `ip netns exec NS <program> ...`.
    public let networkNamespace: String?

    let logger: Logger
    let runner: CommandRunner
    let lock = SerialLock()

    /// Creates a forwarder; names are checked on first use, where errors can be thrown.
    public init(
        chain: String = "SAFFRON",
        masquerade: Bool = false,
        networkNamespace: String? = nil,
        logger: Logger = Logger(label: "saffron.firewall")
    ) {
        self.chain = chain
        self.masquerade = masquerade
        self.networkNamespace = networkNamespace
        self.logger = logger
        self.runner = CommandRunner(networkNamespace: networkNamespace)
    }

    /// E.g. "iptables (chain SAFFRON-DNAT, masquerade on)", with the namespace when there is one.
    public var summary: String {
        var text = "iptables (chain \(chain)-DNAT, masquerade \(masquerade ? "on" : "off")"
        if let networkNamespace { text += ", netns \(networkNamespace)" }
        return text + ")"
    }

    /// The validated ruleset; throws on a bad chain or namespace name.
    func ruleset() throws -> IptablesRuleset {
        if let networkNamespace { try Self.checkNamespace(networkNamespace) }
        return try IptablesRuleset(chain: chain, masquerade: masquerade)
    }

    private static func checkNamespace(_ name: String) throws(FirewallError) {
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("-"), !name.hasPrefix("."),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0)) })
        else { throw FirewallError("invalid network namespace name \(String(reflecting: name))") }
    }

    /// iptables rules here are IPv4 only: anything but an IPv4 client address is refused.
    public func checkClientAddress(_ clientAddress: String) throws {
        _ = try IPv4.canonical(clientAddress, field: "client address")
    }
}
