@testable import Firewall
import Foundation
import Testing

@Suite("iptables-restore rendering")
struct RulesetRenderingTests {
    static let rule = ValidationTests.good
    static let other = ForwardRule(
        sessionID: "s-2", clientAddress: "198.51.100.8", publicAddress: "192.0.2.1",
        publicPort: 40002, targetAddress: "10.0.0.6", targetPort: 5901
    )
    static let dnat1 = #"-A SAFFRON-DNAT -s 198.51.100.7/32 -d 192.0.2.1/32 -p tcp -m tcp --dport 40001 -m comment --comment "saffron:s-1" -j DNAT --to-destination 10.0.0.5:5900"#
    static let dnat2 = #"-A SAFFRON-DNAT -s 198.51.100.8/32 -d 192.0.2.1/32 -p tcp -m tcp --dport 40002 -m comment --comment "saffron:s-2" -j DNAT --to-destination 10.0.0.6:5901"#
    static let masq1 = #"-A SAFFRON-MASQ -s 198.51.100.7/32 -d 10.0.0.5/32 -p tcp -m tcp --dport 5900 -m conntrack --ctstate DNAT -m comment --comment "saffron:s-1" -j MASQUERADE"#

    @Test func installWithoutMasquerade() throws {
        let ruleset = try IptablesRuleset()
        let batch = ruleset.batch(setup: .none, deleting: [], appending: try ruleset.rules(for: Self.rule))
        #expect(batch == "*nat\n\(Self.dnat1)\nCOMMIT\n")
    }

    @Test func installWithMasqueradeAndSetup() throws {
        let ruleset = try IptablesRuleset(masquerade: true)
        let setup = IptablesRuleset.Setup(chains: ruleset.ownedChains, jumps: ruleset.jumps)
        #expect(ruleset.batch(setup: setup, deleting: [], appending: try ruleset.rules(for: Self.rule)) == """
            *nat
            :SAFFRON-DNAT - [0:0]
            :SAFFRON-MASQ - [0:0]
            -I PREROUTING 1 -j SAFFRON-DNAT
            -I OUTPUT 1 -j SAFFRON-DNAT
            -I POSTROUTING 1 -j SAFFRON-MASQ
            \(Self.dnat1)
            \(Self.masq1)
            COMMIT

            """)
    }

    @Test func removeDeletesTheLinesAsSaved() throws {
        let ruleset = try IptablesRuleset(masquerade: true)
        let batch = ruleset.batch(setup: .none, deleting: [Self.dnat1, Self.masq1], appending: [])
        let delete1 = Self.dnat1.replacingOccurrences(of: "-A ", with: "-D ")
        let delete2 = Self.masq1.replacingOccurrences(of: "-A ", with: "-D ")
        #expect(batch == "*nat\n\(delete1)\n\(delete2)\nCOMMIT\n")
    }

    @Test func rebuildDeclaresChainsAndDeduplicates() throws {
        let ruleset = try IptablesRuleset()
        let setup = IptablesRuleset.Setup(chains: ["SAFFRON-DNAT"])
        let batch = try ruleset.rebuildBatch([Self.rule, Self.other, Self.rule], setup: setup)
        #expect(batch == "*nat\n:SAFFRON-DNAT - [0:0]\n\(Self.dnat1)\n\(Self.dnat2)\nCOMMIT\n")
    }

    @Test func rebuildEmpty() throws {
        let ruleset = try IptablesRuleset(chain: "SAF", masquerade: true)
        let setup = IptablesRuleset.Setup(chains: ruleset.ownedChains)
        #expect(try ruleset.rebuildBatch([], setup: setup) == "*nat\n:SAF-DNAT - [0:0]\n:SAF-MASQ - [0:0]\nCOMMIT\n")
    }

    @Test func jumpsFollowMasquerade() throws {
        #expect(try IptablesRuleset().jumps.map(\.chain) == ["PREROUTING", "OUTPUT"])
        #expect(try IptablesRuleset(masquerade: true).jumps.map(\.chain) == ["PREROUTING", "OUTPUT", "POSTROUTING"])
    }

    @Test func invalidRuleRendersNothing() throws {
        var bad = Self.rule
        bad.clientAddress = "1.2.3.4 -j ACCEPT"
        let ruleset = try IptablesRuleset()
        #expect(throws: FirewallError.self) { try ruleset.rules(for: bad) }
        #expect(throws: FirewallError.self) { try ruleset.rebuildBatch([Self.rule, bad], setup: .none) }
    }

    @Test func summaries() {
        #expect(IptablesForwarder(masquerade: true).summary == "iptables (chain SAFFRON-DNAT, masquerade on)")
        #expect(IptablesForwarder(networkNamespace: "gw").summary == "iptables (chain SAFFRON-DNAT, masquerade off, netns gw)")
        #expect(NoForwarder().summary.hasPrefix("none"))
    }

    @Test func badNamesFailOnUse() async {
        await #expect(throws: FirewallError.self) { try await IptablesForwarder(chain: "bad name").install(Self.rule) }
        await #expect(throws: FirewallError.self) {
            try await IptablesForwarder(networkNamespace: "-x").remove(Self.rule)
        }
    }
}
