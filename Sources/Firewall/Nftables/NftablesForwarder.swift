import Logging
import Synchronization

/// The nftables backend: Saffron's own table, a session being one element of its map (see `NftablesRuleset`).
///
/// Changes go through libnftables inside this process (`NftablesContext`), each one transaction, so a change costs
/// about a netlink round trip whatever the number of sessions, and the table never holds half of one. Removing a
/// session's elements also cuts its established connections (the table's `cut` chains), with no conntrack walk. Operations
/// of one forwarder run one at a time; the context starts at the first operation.
public final class NftablesForwarder: PortForwarder {
    /// The table's name, e.g. `saffron`.
    public let table: String
    /// Whether sessions' flows are masqueraded.
    public let masquerade: Bool
    /// When set, the table lives in this network namespace (a name under `/run/netns`).
    public let networkNamespace: String?

    let logger: Logger
    let lock = SerialLock()
    private let context = Mutex<NftablesContext?>(nil)

    /// Creates a forwarder; the table name is checked, and libnftables started, on first use.
    public init(
        table: String = "saffron", masquerade: Bool = false, networkNamespace: String? = nil,
        logger: Logger = Logger(label: "saffron.firewall")
    ) {
        self.table = table
        self.masquerade = masquerade
        self.networkNamespace = networkNamespace
        self.logger = logger
    }

    /// E.g. "nftables (table ip saffron, masquerade on)", with the namespace when there is one.
    public var summary: String {
        var text = "nftables (table ip \(table), masquerade \(masquerade ? "on" : "off")"
        if let networkNamespace { text += ", netns \(networkNamespace)" }
        return text + ")"
    }

    /// The rules here are IPv4 only: anything but an IPv4 client address is refused.
    public func checkClientAddress(_ clientAddress: String) throws {
        _ = try IPv4.canonical(clientAddress, field: "client address")
    }

    public func rebuild(_ rules: [ForwardRule]) async throws {
        let ruleset = try NftablesRuleset(table: table, masquerade: masquerade)
        let script = try ruleset.rebuildScript(rules)
        try await lock.run {
            _ = try await nft().run(script)
            logger.info("firewall rebuilt", metadata: ["rules": "\(rules.count)", "backend": "\(summary)"])
        }
    }

    public func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool {
        let ruleset = try NftablesRuleset(table: table, masquerade: masquerade)
        return try await lock.run {
            let rules = try await wanted()
            let wantedElements = try ruleset.elements(for: rules)
            let present = try await listing()
            guard !present.isComplete || present.elements != wantedElements else { return false }
            _ = try await nft().run(try ruleset.rebuildScript(rules))
            logger.notice(
                "firewall had drifted from the sessions; rebuilt",
                metadata: ["rules": "\(rules.count)", "found": "\(present.elements.count)", "wanted": "\(wantedElements.count)"])
            return true
        }
    }

    /// Adds the session's elements in one transaction, creating the table first if it is missing.
    public func install(_ rule: ForwardRule) async throws {
        let ruleset = try NftablesRuleset(table: table, masquerade: masquerade)
        let script = try ruleset.installScript(rule)
        try await lock.run {
            let nft = try nft()
            do {
                _ = try await nft.run(script)
            } catch {
                if try await listing().isComplete {
                    // The session's key is there with another target (its VM moved): replace that element.
                    _ = try await nft.run(try ruleset.replaceScript(rule))
                } else {
                    // No table yet (nothing rebuilt it since boot): declare it, then add.
                    _ = try await nft.run(ruleset.declaration + script)
                }
            }
            logger.info("forward installed", metadata: metadata(rule))
        }
    }

    /// Deletes the session's elements and its tracked connections; an absent element is not an error.
    public func remove(_ rule: ForwardRule) async throws {
        let ruleset = try NftablesRuleset(table: table, masquerade: masquerade)
        let script = try ruleset.removeScript(rule)
        try await lock.run {
            do {
                _ = try await nft().run(script)
                logger.info("forward removed", metadata: metadata(rule))
            } catch {
                // Only a missing table makes the script fail; then nothing is forwarded anyway.
                guard try await !listing().isComplete else { throw error }
                logger.debug("forward already absent: no table", metadata: metadata(rule))
            }
        }
    }

    /// The `forwards` elements, one per session; 0 when the table is not there yet.
    public func forwardedSessions() async throws -> Int {
        try await listing().elements.filter { $0.hasPrefix("forwards ") }.count
    }

    /// The table as it is now; an absent table lists as empty.
    func listing() async throws -> NftablesListing {
        do {
            return NftablesListing(json: try await nft().run("list table ip \(table)", json: true).text)
        } catch let error as FirewallError where error.message.contains("No such file or directory") {
            return NftablesListing()
        }
    }

    /// The libnftables context, started at first use.
    private func nft() throws -> NftablesContext {
        try context.withLock { context in
            if let context { return context }
            let started = try NftablesContext(networkNamespace: networkNamespace)
            context = started
            return started
        }
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
