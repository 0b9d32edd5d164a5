import Firewall
import Testing

/// Real iptables-nft in throwaway network namespaces.
@Suite("IptablesForwarder in a namespace", .enabled(if: TestNamespace.isUsable))
struct IptablesForwarderTests {
    static func rule(_ n: Int) -> ForwardRule {
        ForwardRule(
            sessionID: "sess-\(n)", clientAddress: "198.51.100.\(n)", publicAddress: "192.0.2.1",
            publicPort: 40000 + n, targetAddress: "10.0.0.\(n)", targetPort: 5900 + n
        )
    }

    static func dnatLine(_ n: Int) -> String {
        #"-A SAFFRON-DNAT -s 198.51.100.\#(n)/32 -d 192.0.2.1/32 -p tcp -m tcp --dport \#(40000 + n) -m comment --comment "saffron:sess-\#(n)" -j DNAT --to-destination 10.0.0.\#(n):\#(5900 + n)"#
    }

    static let jumps = ["-A PREROUTING -j SAFFRON-DNAT", "-A OUTPUT -j SAFFRON-DNAT"]

    @Test func installShowsRuleAndJumps() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(1))
            let table = try await ns.natTable()
            #expect(table.rules == Self.jumps + [Self.dnatLine(1)])
            #expect(table.chains.contains("SAFFRON-DNAT"))
        }
    }

    @Test func removeOneLeavesTheOther() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(2))
            try await forwarder.remove(Self.rule(1))
            #expect(try await ns.natTable().rules == Self.jumps + [Self.dnatLine(2)])
        }
    }

    @Test func removeAbsentRuleDoesNotThrow() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.remove(Self.rule(1))  // chains do not even exist yet
            try await forwarder.install(Self.rule(2))
            try await forwarder.remove(Self.rule(1))
            try await forwarder.remove(Self.rule(2))
            try await forwarder.remove(Self.rule(2))
            let rules = try await ns.natTable().rules
            #expect(rules.allSatisfy { !$0.contains("saffron:") })
        }
    }

    @Test func rebuildTwiceDoesNotDuplicateJumps() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.rebuild([Self.rule(1)])
            try await forwarder.rebuild([Self.rule(1)])
            try await forwarder.install(Self.rule(2))
            let rules = try await ns.natTable().rules
            #expect(rules.filter { $0.contains("-j SAFFRON-") && !$0.hasPrefix("-A SAFFRON-") }.count == 3)
            #expect(rules.filter { $0.contains("saffron:sess-1") }.count == 2)
        }
    }

    @Test func rebuildWithNothingRemovesOrphans() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(2))
            try await forwarder.rebuild([])
            let table = try await ns.natTable()
            #expect(table.rules == Self.jumps + ["-A POSTROUTING -j SAFFRON-MASQ"])
            #expect(table.chains.contains("SAFFRON-MASQ"))
        }
    }

    @Test func rebuildRestoresMissingRules() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await ns.run(["iptables", "-w", "-t", "nat", "-F", "SAFFRON-DNAT"])
            try await ns.run(["iptables", "-w", "-t", "nat", "-D", "OUTPUT", "-j", "SAFFRON-DNAT"])
            try await forwarder.rebuild([Self.rule(1), Self.rule(2)])
            let rules = try await ns.natTable().rules
            #expect(Set(rules) == Set(Self.jumps + [Self.dnatLine(1), Self.dnatLine(2)]))
            #expect(rules.count == 4)
        }
    }

    @Test func rebuildWithMasqueradeOffEmptiesOldMasqChain() async throws {
        try await TestNamespace.with { ns in
            try await IptablesForwarder(masquerade: true, networkNamespace: ns.name).install(Self.rule(4))
            try await IptablesForwarder(networkNamespace: ns.name).rebuild([Self.rule(4)])
            let rules = try await ns.natTable().rules
            #expect(rules.filter { $0.hasPrefix("-A SAFFRON-MASQ") }.isEmpty)
            #expect(rules.contains(Self.dnatLine(4)))
        }
    }

    @Test func masqueradeRulesHangOffPostrouting() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.install(Self.rule(3))
            let rules = try await ns.natTable().rules
            #expect(rules.contains("-A POSTROUTING -j SAFFRON-MASQ"))
            #expect(rules.contains(#"-A SAFFRON-MASQ -s 198.51.100.3/32 -d 10.0.0.3/32 -p tcp -m tcp --dport 5903 -m conntrack --ctstate DNAT -m comment --comment "saffron:sess-3" -j MASQUERADE"#))
            try await forwarder.remove(Self.rule(3))
            #expect(try await ns.natTable().rules.filter { $0.hasPrefix("-A SAFFRON-") }.isEmpty)
        }
    }

    @Test func concurrentInstallsAllLand() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 1...6 { group.addTask { try await forwarder.install(Self.rule(n)) } }
                try await group.waitForAll()
            }
            let rules = try await ns.natTable().rules
            #expect(Set(rules) == Set(Self.jumps + (1...6).map(Self.dnatLine)))
            #expect(rules.count == 8)
        }
    }

    @Test func failureCarriesStderr() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name + "-missing")
            let error = await #expect(throws: FirewallError.self) { try await forwarder.install(Self.rule(1)) }
            #expect(error?.message.contains("namespace") == true)
        }
    }
}
