/// Pure rendering of the nftables table Saffron owns, as libnftables (`nft -f`) input.
///
/// One table (`ip <table>`) holds everything: the map `forwards` from (client address, public address, public port)
/// to (target address, target port), used by one DNAT rule in `prerouting` and one in `output` (forwarded and
/// locally made connections), and the set `masqueraded` of (client address, target address, target port) whose
/// DNATed flows `postrouting` masquerades, so the hypervisor's replies come back through this host.
///
/// Ending a session must also cut its established connections, which the removed DNAT no longer sees (NAT chains
/// see a flow's first packet only). The set `live` holds the sessions' keys again; the DNAT chains mark each new flow
/// to a live session (a bit of its conntrack mark), and the `cut` chains answer every later client packet of a marked
/// flow whose session is gone with a TCP reset. So removing a session's elements cuts its flows in the same
/// transaction, without walking the conntrack table. A session is one element of the map and one of `live` (and one
/// of `masqueraded` with masquerade on), so a change costs the same however many sessions live.
public struct NftablesRuleset: Sendable, Equatable {
    /// The longest table name accepted.
    public static let maxTableLength = 32
    /// The conntrack mark bit of flows DNATed to a session (other bits of the mark are left as they are).
    public static let flowMark = "0x40000000"

    /// The table's name, e.g. `saffron`.
    public let table: String
    /// Whether sessions' flows are masqueraded.
    public let masquerade: Bool

    /// Creates a ruleset, or throws when `table` is not 1-32 of `A-Z a-z 0-9 _` starting with a letter.
    public init(table: String = "saffron", masquerade: Bool = false) throws(FirewallError) {
        guard let first = table.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
            table.count <= Self.maxTableLength,
            table.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
        else {
            throw FirewallError(
                "invalid nftables table name \(String(reflecting: table)): use 1-\(Self.maxTableLength) of A-Z a-z 0-9 _ starting with a letter")
        }
        self.table = table
        self.masquerade = masquerade
    }

    /// The table with its map, set and chains, empty: created if absent, replaced (with everything in it) if not.
    public var declaration: String {
        """
        add table ip \(table)
        delete table ip \(table)
        table ip \(table) {
            map forwards {
                type ipv4_addr . ipv4_addr . inet_service : ipv4_addr . inet_service
            }
            set masqueraded {
                type ipv4_addr . ipv4_addr . inet_service
            }
            set live {
                type ipv4_addr . ipv4_addr . inet_service
            }
            chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                \(markRule)
                meta l4proto tcp dnat ip to ip saddr . ip daddr . tcp dport map @forwards
            }
            chain output {
                type nat hook output priority -100; policy accept;
                \(markRule)
                meta l4proto tcp dnat ip to ip saddr . ip daddr . tcp dport map @forwards
            }
            chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                ct status dnat meta l4proto tcp ip saddr . ip daddr . tcp dport @masqueraded masquerade
            }
            chain cut {
                type filter hook forward priority filter - 1; policy accept;
                \(cutRule)
            }
            chain cutlocal {
                type filter hook output priority filter - 1; policy accept;
                \(cutRule)
            }
        }

        """
    }

    /// Marks a new flow to a live session.
    private var markRule: String {
        "meta l4proto tcp ip saddr . ip daddr . tcp dport @live ct mark set ct mark or \(Self.flowMark)"
    }

    /// Resets the client side of a marked flow whose session is no longer live.
    private var cutRule: String {
        "ct direction original ct mark and \(Self.flowMark) == \(Self.flowMark) meta l4proto tcp "
            + "ct original ip saddr . ct original ip daddr . ct original proto-dst != @live reject with tcp reset"
    }

    /// The table made anew holding exactly `rules`, in one transaction.
    public func rebuildScript(_ rules: [ForwardRule]) throws(FirewallError) -> String {
        var script = declaration
        for rule in rules { script += try adding(rule) }
        return script
    }

    /// Adds the session's elements, replacing elements with the same key (a session whose target moved). Each
    /// element is added, deleted and added again: the first add makes the delete safe when it is absent.
    public func installScript(_ rule: ForwardRule) throws(FirewallError) -> String {
        elements(try rule.validated()).map { element in
            element.command("add", in: table) + element.command("delete", in: table, keyOnly: true)
                + element.command("add", in: table)
        }.joined()
    }

    /// Like `installScript`, for a session whose map element exists with another target (where adding the same key
    /// with another value is refused): its map element is deleted and added.
    public func replaceScript(_ rule: ForwardRule) throws(FirewallError) -> String {
        elements(try rule.validated()).map { element in
            (element.value == nil ? element.command("add", in: table) : "")
                + element.command("delete", in: table, keyOnly: true) + element.command("add", in: table)
        }.joined()
    }

    /// Deletes the session's elements (also its masquerade element with masquerade off, left from before); absent
    /// ones are added first so the transaction never fails on them.
    public func removeScript(_ rule: ForwardRule) throws(FirewallError) -> String {
        elements(try rule.validated(), includingMasquerade: true).map { element in
            element.command("add", in: table) + element.command("delete", in: table, keyOnly: true)
        }.joined()
    }

    /// The elements `rules` need, written as `NftablesListing` reads them back: `forwards A . B . P : C . Q`.
    public func elements(for rules: [ForwardRule]) throws(FirewallError) -> Set<String> {
        var wanted = Set<String>()
        for rule in rules {
            for element in elements(try rule.validated()) { wanted.insert("\(element.collection) \(element.text)") }
        }
        return wanted
    }

    private func adding(_ rule: ForwardRule) throws(FirewallError) -> String {
        elements(try rule.validated()).map { $0.command("add", in: table) }.joined()
    }

    /// The elements of a validated rule.
    private func elements(_ rule: ForwardRule, includingMasquerade: Bool = false) -> [Element] {
        let key = "\(rule.clientAddress) . \(rule.publicAddress) . \(rule.publicPort)"
        var elements = [
            Element(collection: "forwards", key: key, value: "\(rule.targetAddress) . \(rule.targetPort)"),
            Element(collection: "live", key: key),
        ]
        if masquerade || includingMasquerade {
            elements.append(
                Element(collection: "masqueraded", key: "\(rule.clientAddress) . \(rule.targetAddress) . \(rule.targetPort)"))
        }
        return elements
    }

    /// One element of the map (with a value) or of the set.
    private struct Element {
        var collection: String
        var key: String
        var value: String?

        var text: String { value.map { "\(key) : \($0)" } ?? key }

        func command(_ verb: String, in table: String, keyOnly: Bool = false) -> String {
            "\(verb) element ip \(table) \(collection) { \(keyOnly ? key : text) }\n"
        }
    }
}
