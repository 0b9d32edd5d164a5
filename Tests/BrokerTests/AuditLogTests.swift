import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// What the audit log records of logins, handouts, session ends and admin changes, and who may read it.
@Suite struct AuditLogTests {
    private func entries(_ fixture: BrokerFixture) async throws -> [AuditEvent] {
        try await fixture.broker.audit.events(limit: 1000, requestedBy: nil)
    }

    @Test func loginsAreRecordedWithTheirAddressAndNeverThePassword() async throws {
        let fixture = try await BrokerFixture()
        try await fixture.user("alice")
        _ = try await fixture.accounts.login(username: "alice", password: "pw-alice", from: "10.0.0.7")
        _ = try? await fixture.accounts.login(username: "alice", password: "wrong-secret", from: "10.0.0.8")
        _ = try? await fixture.accounts.login(username: "zed", password: "other-secret", from: "10.0.0.9")
        let logins = try await entries(fixture).filter { $0.action == .login || $0.action == .loginFailed }
        #expect(logins.map(\.action) == [.loginFailed, .loginFailed, .login])
        #expect(logins.map(\.clientAddress) == ["10.0.0.9", "10.0.0.8", "10.0.0.7"])
        #expect(logins.map(\.succeeded) == [false, false, true])
        #expect(logins[0].subject == "zed" && logins[1].subject == "alice")
        #expect(logins[0].detail == logins[1].detail, "an unknown user and a wrong password read alike")
        for entry in try await entries(fixture) {
            #expect(!"\(entry)".contains("secret") && !"\(entry)".contains("pw-alice"))
        }
    }

    @Test func aHandoutAndItsEndAreRecordedWithoutTheTicket() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let handout = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "10.0.0.2")
        let session = handout.session
        _ = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        let firstTicket = await fixture.hypervisor.vms[session.vm]?.ticket
        let again = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "10.0.0.2")
        _ = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        let secondTicket = await fixture.hypervisor.vms[session.vm]?.ticket
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)

        let log = try await entries(fixture)
        let handouts = log.filter { $0.action == .handout }
        #expect(handouts.count == 2)
        #expect(handouts.allSatisfy { $0.actor == "alice" && $0.subject == session.id && $0.clientAddress == "10.0.0.2" })
        #expect(handouts[1].detail.hasPrefix("new session: \(session.vm) of pool office, port \(session.publicPort)"))
        #expect(handouts[0].detail.hasPrefix("their session again"))
        #expect(again.session.id == session.id)
        let end = try #require(log.first { $0.action == .sessionEnd })
        #expect(end.actor == "alice" && end.subject == session.id)
        #expect(end.detail.hasSuffix("ended by its user"))
        let tickets = [firstTicket, secondTicket].compactMap { $0 }
        #expect(tickets.count == 2)
        for entry in log {
            for ticket in tickets { #expect(!"\(entry)".contains(ticket), "a ticket reached the audit log") }
        }
    }

    @Test func aRefusedHandoutIsRecordedWithItsCode() async throws {
        let fixture = try await BrokerFixture(vms: [])
        let alice = try await fixture.user("alice")
        await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "10.0.0.2")
        }
        let refused = try #require(try await entries(fixture).first { $0.action == .handout })
        #expect(!refused.succeeded && refused.subject == "office")
        #expect(refused.detail.hasPrefix("no_free_vm: "))
    }

    @Test func adminChangesNameWhoMadeThemAndWhatChanged() async throws {
        let fixture = try await BrokerFixture()
        let boss = try await fixture.user("boss", admin: true)
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.spares = 2 }
        try await fixture.store.markBroken(vm: "desk2", pool: "office", reason: "boom")
        try await fixture.broker.repair(vm: "desk2", inPool: "office", requestedBy: boss)
        try await fixture.broker.removeVMs(["desk3"], fromPool: "office")

        let log = try await entries(fixture)
        let update = try #require(log.first { $0.action == .poolUpdate })
        #expect(update.actor == "cli" && update.subject == "office" && update.detail == "spares: 0 → 2")
        let repair = try #require(log.first { $0.action == .vmRepair })
        #expect(repair.actor == "boss" && repair.subject == "office/desk2")
        #expect(log.first { $0.action == .vmRemove }?.subject == "office/desk3")
        #expect(log.filter { $0.action == .vmAdd }.map(\.subject).sorted() == ["office/desk1", "office/desk2", "office/desk3"])
        #expect(log.last?.action == .poolCreate, "the fixture's pool came first")
        #expect(log.contains { $0.action == .userAdd && $0.subject == "boss" && $0.detail == "an admin" })
    }

    @Test func onlyAdminsReadTheLog() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let boss = try await fixture.user("boss", admin: true)
        let denied = await #expect(throws: BrokerError.self) { try await fixture.broker.audit.events(requestedBy: alice) }
        #expect(denied?.httpStatus == 403)
        #expect(try await fixture.broker.audit.events(requestedBy: boss).isEmpty == false)
        for limit in [0, 1001] {
            let bad = await #expect(throws: BrokerError.self) { try await fixture.broker.audit.events(limit: limit, requestedBy: boss) }
            #expect(bad?.httpStatus == 400)
        }
    }
}
