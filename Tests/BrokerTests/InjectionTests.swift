import Broker
import BrokerTestSupport
import ConsoleFile
import Foundation
import Store
import Testing

/// Names people choose (users, pools) may hold quotes, `=`, `;`, XML and shell metacharacters: they travel as data,
/// never changing a `.vv` key, a firewall argument or the audit log's shape. Control characters are refused.
@Suite struct InjectionTests {
    static let pool = #"o"f'f;i=c<e>&$(id)|`x`[g]"#
    static let user = #"a"l'i;c=e<b>&$(rm)|`x`"#

    @Test func metacharactersInNamesStayData() async throws {
        let fixture = try await BrokerFixture(vms: ["desk1"])
        try await fixture.broker.createPool(name: Self.pool, connectURI: "test:///default")
        try await fixture.store.removeVM("desk1", fromPool: "office")
        try await fixture.broker.addVMs(["desk1"], toPool: Self.pool)
        let user = try await fixture.user(Self.user)
        let handout = try await fixture.broker.desktop(inPool: Self.pool, for: user, clientAddress: "10.0.0.2")
        #expect(handout.session.pool == Self.pool && handout.session.user == Self.user)

        let file = try await fixture.broker.consoleFile(forSession: handout.session.id, user: user)
        #expect(file.title == "desk1 (\(Self.pool)) - Saffron")
        let lines = file.rendered().split(separator: "\n").map(String.init)
        let keys = lines.dropFirst().compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) }
        #expect(lines.first == "[virt-viewer]")
        #expect(keys == file.entries.map(\.key), "a name added or changed a key: \(lines)")
        #expect(lines.filter { $0.hasPrefix("host=") } == ["host=198.51.100.1"])

        let rules = await fixture.forwarder.rules
        #expect(rules.count == 1)
        for rule in rules {
            let text = "\(rule)"
            #expect(!text.contains("$(") && !text.contains("<") && !text.contains(";"), "a name reached a firewall rule: \(text)")
            #expect(rule.sessionID == handout.session.id && rule.clientAddress == "10.0.0.2")
        }

        try await fixture.broker.endSession(id: handout.session.id, requestedBy: user)
        let log = try await fixture.broker.audit.events(requestedBy: nil)
        #expect(log.contains { $0.action == .handout && $0.actor == Self.user && $0.detail.contains("of pool \(Self.pool)") })
        #expect(try await fixture.store.sessions().isEmpty)
    }

    @Test(arguments: ["a\nb", "tab\there", "cr\rx", "nul\u{0}x", "slash/x", "back\\slash", "sp ace", ""])
    func namesWithControlCharactersOrSeparatorsAreRefused(_ name: String) async throws {
        let fixture = try await BrokerFixture(vms: [])
        let pool = await #expect(throws: BrokerError.self) {
            try await fixture.broker.createPool(name: name, connectURI: "test:///default")
        }
        #expect(pool?.code == .badRequest)
        let user = await #expect(throws: BrokerError.self) {
            try await fixture.accounts.addUser(name: name, password: "pw", isAdmin: false)
        }
        #expect(user?.code == .badRequest)
        let group = await #expect(throws: BrokerError.self) { try await fixture.broker.createGroup(name) }
        #expect(group?.code == .badRequest)
    }
}
