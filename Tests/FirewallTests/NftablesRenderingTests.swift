import Testing

@testable import Firewall

/// The nftables scripts and listings, without a kernel.
@Suite struct NftablesRenderingTests {
    static let rule = ForwardRule(
        sessionID: "s-1", clientAddress: "198.51.100.7", publicAddress: "192.0.2.1", publicPort: 20001,
        targetAddress: "10.0.0.5", targetPort: 5901)

    @Test func installAddsDeletesAndAddsEachElement() throws {
        let plain = try NftablesRuleset(table: "saffron").installScript(Self.rule)
        #expect(plain == """
            add element ip saffron forwards { 198.51.100.7 . 192.0.2.1 . 20001 : 10.0.0.5 . 5901 }
            delete element ip saffron forwards { 198.51.100.7 . 192.0.2.1 . 20001 }
            add element ip saffron forwards { 198.51.100.7 . 192.0.2.1 . 20001 : 10.0.0.5 . 5901 }
            add element ip saffron live { 198.51.100.7 . 192.0.2.1 . 20001 }
            delete element ip saffron live { 198.51.100.7 . 192.0.2.1 . 20001 }
            add element ip saffron live { 198.51.100.7 . 192.0.2.1 . 20001 }

            """)
        let masqueraded = try NftablesRuleset(table: "saffron", masquerade: true).installScript(Self.rule)
        #expect(masqueraded.hasSuffix("add element ip saffron masqueraded { 198.51.100.7 . 10.0.0.5 . 5901 }\n"))
    }

    @Test func removeAlsoClearsAMasqueradeElementLeftFromBefore() throws {
        let script = try NftablesRuleset(table: "saffron").removeScript(Self.rule)
        #expect(script.contains("delete element ip saffron forwards { 198.51.100.7 . 192.0.2.1 . 20001 }"))
        #expect(script.contains("delete element ip saffron masqueraded { 198.51.100.7 . 10.0.0.5 . 5901 }"))
        #expect(script.contains("delete element ip saffron live { 198.51.100.7 . 192.0.2.1 . 20001 }"), "its flows are cut")
    }

    @Test func rebuildReplacesTheWholeTable() throws {
        let script = try NftablesRuleset(table: "lab1").rebuildScript([Self.rule])
        #expect(script.hasPrefix("add table ip lab1\ndelete table ip lab1\ntable ip lab1 {"))
        #expect(script.hasSuffix("""
            add element ip lab1 forwards { 198.51.100.7 . 192.0.2.1 . 20001 : 10.0.0.5 . 5901 }
            add element ip lab1 live { 198.51.100.7 . 192.0.2.1 . 20001 }

            """))
    }

    @Test func nothingAUserControlsReachesTheScript() {
        var bad = Self.rule
        bad.clientAddress = "1.2.3.4 } ; flush ruleset"
        #expect(throws: FirewallError.self) { try NftablesRuleset().installScript(bad) }
        for name in ["", "1table", "my-table", "t; flush ruleset", String(repeating: "t", count: 33)] {
            #expect(throws: FirewallError.self, "\(name)") { try NftablesRuleset(table: name) }
        }
    }

    @Test func aListingReadsChainsRulesAndElements() throws {
        let json = """
            {"nftables": [{"metainfo": {"version": "1.0.6"}},
             {"table": {"family": "ip", "name": "saffron"}},
             {"map": {"family": "ip", "name": "forwards", "table": "saffron", "elem": [[{"concat": ["198.51.100.7", "192.0.2.1", 20001]}, {"concat": ["10.0.0.5", 5901]}]]}},
             {"set": {"family": "ip", "name": "masqueraded", "table": "saffron", "elem": [{"concat": ["198.51.100.7", "10.0.0.5", 5901]}]}},
             {"set": {"family": "ip", "name": "live", "table": "saffron", "elem": [{"concat": ["198.51.100.7", "192.0.2.1", 20001]}]}},
             {"chain": {"name": "prerouting"}}, {"chain": {"name": "output"}}, {"chain": {"name": "postrouting"}},
             {"chain": {"name": "cut"}}, {"chain": {"name": "cutlocal"}},
             {"rule": {"chain": "prerouting"}}, {"rule": {"chain": "prerouting"}}, {"rule": {"chain": "output"}},
             {"rule": {"chain": "output"}}, {"rule": {"chain": "postrouting"}}, {"rule": {"chain": "cut"}},
             {"rule": {"chain": "cutlocal"}}]}
            """
        let listing = NftablesListing(json: json)
        #expect(listing.isComplete)
        #expect(listing.elements == [
            "forwards 198.51.100.7 . 192.0.2.1 . 20001 : 10.0.0.5 . 5901", "masqueraded 198.51.100.7 . 10.0.0.5 . 5901",
            "live 198.51.100.7 . 192.0.2.1 . 20001",
        ])
        #expect(try NftablesRuleset(masquerade: true).elements(for: [Self.rule]) == listing.elements)
        #expect(!NftablesListing(json: "").isComplete)
    }
}
