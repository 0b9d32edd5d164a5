import Firewall
import Foundation
import Testing

@Suite("Rule validation")
struct ValidationTests {
    static let good = ForwardRule(
        sessionID: "s-1", clientAddress: "198.51.100.7", publicAddress: "192.0.2.1",
        publicPort: 40001, targetAddress: "10.0.0.5", targetPort: 5900
    )

    @Test func acceptsAGoodRule() throws {
        #expect(try Self.good.validated() == Self.good)
    }

    @Test(arguments: [
        "1.2.3.4 -j ACCEPT", "::1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4/32",
        "", " 1.2.3.4", "1.2.3.4\n", "-1.2.3.4", "localhost", "1.2.3.4\n-A OUTPUT -j ACCEPT",
    ])
    func rejectsBadAddresses(_ address: String) {
        for field in 0..<3 {
            var rule = Self.good
            switch field {
            case 0: rule.clientAddress = address
            case 1: rule.publicAddress = address
            default: rule.targetAddress = address
            }
            #expect(throws: FirewallError.self) { try rule.validated() }
        }
    }

    @Test(arguments: [0, -1, 65536, 100_000])
    func rejectsBadPorts(_ port: Int) {
        var rule = Self.good
        rule.publicPort = port
        #expect(throws: FirewallError.self) { try rule.validated() }
        rule = Self.good
        rule.targetPort = port
        #expect(throws: FirewallError.self) { try rule.validated() }
    }

    @Test(arguments: [1, 65535])
    func acceptsEdgePorts(_ port: Int) throws {
        var rule = Self.good
        rule.publicPort = port
        rule.targetPort = port
        _ = try rule.validated()
    }

    @Test(arguments: [
        "", "a b", "x\"y", "id\n-A", "a_b", "a:b", "ünï", "a;b", String(repeating: "a", count: 129),
    ])
    func rejectsBadSessionIDs(_ id: String) {
        var rule = Self.good
        rule.sessionID = id
        #expect(throws: FirewallError.self) { try rule.validated() }
    }

    @Test func errorNamesTheField() {
        var rule = Self.good
        rule.targetAddress = "::1"
        #expect(throws: FirewallError.self) { try rule.validated() }
        do {
            _ = try rule.validated()
        } catch {
            #expect(error.message.contains("target address"))
        }
    }

    @Test(arguments: ["", "1SAFFRON", "-X", "A B", "SAFFRON;", String(repeating: "A", count: 24)])
    func rejectsBadChainNames(_ chain: String) {
        #expect(throws: FirewallError.self) { try IptablesRuleset(chain: chain) }
    }

    @Test func codableRoundTrip() throws {
        let data = try JSONEncoder().encode(Self.good)
        #expect(try JSONDecoder().decode(ForwardRule.self, from: data) == Self.good)
    }
}

@Suite struct ClientAddressCheckTests {
    @Test func iptablesTakesIPv4ClientsOnlyAndNoneTakesAny() throws {
        try IptablesForwarder().checkClientAddress("203.0.113.5")
        #expect(throws: FirewallError.self) { try IptablesForwarder().checkClientAddress("2001:db8::5") }
        #expect(throws: FirewallError.self) { try IptablesForwarder().checkClientAddress("1.2.3.4 -j ACCEPT") }
        try NoForwarder().checkClientAddress("2001:db8::5")
    }
}
