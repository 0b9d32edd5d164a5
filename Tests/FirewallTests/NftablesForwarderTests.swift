import Firewall
import Foundation
import Testing

/// Real nftables (libnftables in this process) in throwaway network namespaces.
@Suite("NftablesForwarder in a namespace", .enabled(if: TestNamespace.isUsable && Shell.which("nft") != nil))
struct NftablesForwarderTests {
    static let rule = IptablesForwarderTests.rule

    /// `forwards` elements as `nft list` prints them for rule n.
    static func forward(_ n: Int) -> String { "198.51.100.\(n) . 192.0.2.1 . \(40000 + n) : 10.0.0.\(n) . \(5900 + n)" }
    static func masqueraded(_ n: Int) -> String { "198.51.100.\(n) . 10.0.0.\(n) . \(5900 + n)" }
    static func live(_ n: Int) -> String { "198.51.100.\(n) . 192.0.2.1 . \(40000 + n)" }
    static let chains = ["cut", "cutlocal", "output", "postrouting", "prerouting"]

    @Test func installCreatesTheTableAndOneElementPerSession() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(2))
            let table = try await ns.nftTable()
            #expect(table.forwards == [Self.forward(1), Self.forward(2)])
            #expect(table.live == [Self.live(1), Self.live(2)])
            #expect(table.masqueraded.isEmpty)
            #expect(table.chains == Self.chains)
        }
    }

    @Test func aSessionWhoseTargetMovedIsReplaced() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(networkNamespace: ns.name)
            var rule = Self.rule(1)
            try await forwarder.install(rule)
            rule.targetPort = 5999
            try await forwarder.install(rule)
            #expect(try await ns.nftTable().forwards == ["198.51.100.1 . 192.0.2.1 . 40001 : 10.0.0.1 . 5999"])
        }
    }

    @Test func removeOneLeavesTheOtherAndAbsentIsNoError() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.remove(Self.rule(3))  // no table yet
            try await forwarder.install(Self.rule(1))
            try await forwarder.install(Self.rule(2))
            try await forwarder.remove(Self.rule(1))
            try await forwarder.remove(Self.rule(1))
            let table = try await ns.nftTable()
            #expect(table.forwards == [Self.forward(2)])
            #expect(table.live == [Self.live(2)], "the removed session's flows are cut")
            #expect(table.masqueraded == [Self.masqueraded(2)])
        }
    }

    @Test func rebuildLeavesExactlyTheGivenSessions() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(masquerade: true, networkNamespace: ns.name)
            try await forwarder.install(Self.rule(1))
            try await forwarder.rebuild([Self.rule(2), Self.rule(3)])
            try await forwarder.rebuild([Self.rule(2), Self.rule(3)])
            let table = try await ns.nftTable()
            #expect(table.forwards == [Self.forward(2), Self.forward(3)])
            #expect(table.masqueraded == [Self.masqueraded(2), Self.masqueraded(3)])
            #expect(table.live == [Self.live(2), Self.live(3)])
            #expect(table.chains == Self.chains)
        }
    }

    @Test func reconcilePutsRightAFlushedMapAnOrphanAndADeletedTable() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(networkNamespace: ns.name)
            try await forwarder.rebuild([Self.rule(1), Self.rule(2)])
            #expect(try await forwarder.reconcile { [Self.rule(1), Self.rule(2)] } == false)

            try await ns.run(["nft", "flush", "map", "ip", "saffron", "forwards"])
            try await ns.run(["nft", "add", "element", "ip", "saffron", "forwards", "{ 203.0.113.9 . 192.0.2.1 . 40099 : 10.9.9.9 . 5900 }"])
            #expect(try await forwarder.reconcile { [Self.rule(1), Self.rule(2)] })
            #expect(try await ns.nftTable().forwards == [Self.forward(1), Self.forward(2)])

            try await ns.run(["nft", "delete", "table", "ip", "saffron"])
            #expect(try await forwarder.reconcile { [Self.rule(2)] })
            #expect(try await ns.nftTable().forwards == [Self.forward(2)])
        }
    }

    @Test func aRefusedChangeSaysWhyAndChangesNothing() async throws {
        try await TestNamespace.with { ns in
            let forwarder = NftablesForwarder(table: "bad-name", networkNamespace: ns.name)
            let error = await #expect(throws: FirewallError.self) { try await forwarder.install(Self.rule(1)) }
            #expect(error?.message.contains("table name") == true)
            let missing = NftablesForwarder(networkNamespace: "saffron-no-such-namespace")
            let entering = await #expect(throws: FirewallError.self) { try await missing.install(Self.rule(1)) }
            #expect(entering?.message.contains("network namespace") == true)
        }
    }
}

extension TestNamespace {
    /// Saffron's nftables table here: map and set elements as `nft` prints them, and chain names, sorted.
    func nftTable(_ table: String = "saffron") async throws -> (
        forwards: [String], masqueraded: [String], live: [String], chains: [String]
    ) {
        let result = try await run(["nft", "list", "table", "ip", table])
        guard result.status == 0 else { throw ShellError(message: "nft list table: \(result.stderr)") }
        var forwards: [String] = [], masqueraded: [String] = [], live: [String] = [], chains: [String] = []
        var collection: String?
        for line in result.stdout.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if line.hasPrefix("map ") || line.hasPrefix("set ") { collection = String(line.split(separator: " ")[1]) }
            if line.hasPrefix("chain ") {
                collection = nil
                chains.append(String(line.split(separator: " ")[1]))
            }
            guard collection != nil, line.hasPrefix("elements = {") || (line.contains(" . ") && !line.hasPrefix("type")) else {
                continue
            }
            let body = line.replacingOccurrences(of: "elements = {", with: "").replacingOccurrences(of: "}", with: "")
            for element in body.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !element.isEmpty {
                switch collection {
                case "forwards": forwards.append(element)
                case "live": live.append(element)
                default: masqueraded.append(element)
                }
            }
        }
        return (forwards.sorted(), masqueraded.sorted(), live.sorted(), chains.sorted())
    }
}
