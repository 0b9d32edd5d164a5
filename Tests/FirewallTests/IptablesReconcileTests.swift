import Firewall
import Testing

/// `reconcile` on real iptables-nft in throwaway network namespaces: nothing happens while the rules are as wanted;
/// rules removed or added behind the forwarder's back are put right.
@Suite("IptablesForwarder.reconcile in a namespace", .enabled(if: TestNamespace.isUsable))
struct IptablesReconcileTests {
    typealias Lines = IptablesForwarderTests

    @Test func rulesAsWantedAreLeftAlone() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.install(Lines.rule(1))
            try await forwarder.install(Lines.rule(2))
            let before = try await ns.natTable().rules
            #expect(try await !forwarder.reconcile { [Lines.rule(2), Lines.rule(1)] })
            #expect(try await ns.natTable().rules == before)
        }
    }

    @Test func aFlushedChainAndAnOrphanArePutRight() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Lines.rule(1))
            try await forwarder.install(Lines.rule(3))
            try await ns.run(["iptables", "-w", "-t", "nat", "-F", "SAFFRON-DNAT"])
            try await forwarder.install(Lines.rule(9))  // an orphan: no session wants it

            #expect(try await forwarder.reconcile { [Lines.rule(1), Lines.rule(3)] })
            let rules = try await ns.natTable().rules
            #expect(Set(rules) == Set(Lines.jumps + [Lines.dnatLine(1), Lines.dnatLine(3)]))
            #expect(rules.count == 4)
            #expect(try await !forwarder.reconcile { [Lines.rule(1), Lines.rule(3)] })
        }
    }

    @Test func aMissingJumpIsPutBack() async throws {
        try await TestNamespace.with { ns in
            let forwarder = IptablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Lines.rule(1))
            try await ns.run(["iptables", "-w", "-t", "nat", "-D", "PREROUTING", "-j", "SAFFRON-DNAT"])
            #expect(try await forwarder.reconcile { [Lines.rule(1)] })
            #expect(Set(try await ns.natTable().rules) == Set(Lines.jumps + [Lines.dnatLine(1)]))
        }
    }
}
