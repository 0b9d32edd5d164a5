import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// An admin given a way into someone else's desktop leaves a trace; a user's own consoles do not fill the log.
@Suite struct ConsoleAuditTests {
    @Test func anAdminOpeningAnotherUsersConsoleIsAuditedWithWhoWhoseAndWhere() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let boss = try await fixture.user("boss", admin: true)
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "198.51.100.2").session
        _ = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        _ = try await fixture.broker.webConsole(forSession: session.id, user: alice)
        _ = try await fixture.broker.phoneLink(forSession: session.id, user: alice)
        #expect(try await consoleEntries(fixture).isEmpty, "alice's own consoles are hers to open")

        try await AuditLog.$requestAddress.withValue("203.0.113.50") {
            _ = try await fixture.broker.consoleFile(forSession: session.id, user: boss)
            _ = try await fixture.broker.webConsole(forSession: session.id, user: boss)
            _ = try await fixture.broker.phoneLink(forSession: session.id, user: boss)
        }
        let entries = try await consoleEntries(fixture)
        #expect(entries.count == 3)
        #expect(entries.allSatisfy { $0.actor == "boss" && $0.subject == session.id && $0.clientAddress == "203.0.113.50" })
        #expect(entries.allSatisfy { $0.detail.contains("alice's desktop \(session.vm) of pool office") }, "\(entries.map(\.detail))")
        #expect(Set(entries.map(\.detail)).count == 3, "each way in is named: \(entries.map(\.detail))")
    }

    private func consoleEntries(_ fixture: BrokerFixture) async throws -> [AuditEvent] {
        try await fixture.broker.audit.events(limit: 1000, requestedBy: nil).filter { $0.action == .consoleOpen }
    }
}

/// Pools live only on the libvirt connections the config allows.
@Suite struct ConnectURIPolicyTests {
    @Test func aPoolOnAConnectionTheConfigDoesNotNameIsRefusedAndNothingIsStored() async throws {
        let fixture = try await BrokerFixture()
        for uri in ["test:///etc/shadow", "qemu+ssh://elsewhere/system", "qemu:///system?socket=/tmp/x", "qemu:///session"] {
            let error = await #expect(throws: BrokerError.self) {
                try await fixture.broker.createPool(name: "evil", connectURI: uri)
            }
            #expect(error?.code == .connectNotAllowed && error?.httpStatus == 400, "\(uri)")
            #expect(error?.message.contains("libvirt.allowedURIs") == true)
        }
        #expect(try await fixture.store.pool(named: "evil") == nil)
        let template = PoolTemplate(domainXML: "<domain/>", baseImage: "/var/lib/libvirt/images/base.qcow2", storagePool: "default", maxVMs: 2)
        let templated = await #expect(throws: BrokerError.self) {
            try await fixture.broker.createTemplatePool(
                name: "evil", connectURI: "test:///etc/shadow", desktopMode: .volatile, template: template)
        }
        #expect(templated?.code == .connectNotAllowed)
    }
}
