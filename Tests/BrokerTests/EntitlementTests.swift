import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Pools granted to everyone, users and groups: who sees and gets which desktops.
@Suite struct EntitlementTests {
    /// The fixture's `office` (granted to everyone) and `lab`, granted to no one, with one VM each way.
    private func fixture() async throws -> BrokerFixture {
        let fixture = try await BrokerFixture(vms: ["desk1", "desk2"])
        try await fixture.broker.createPool(name: "lab", connectURI: "test:///default", access: [])
        try await fixture.store.removeVM("desk2", fromPool: "office")
        try await fixture.broker.addVMs(["desk2"], toPool: "lab")
        return fixture
    }

    private func visible(_ fixture: BrokerFixture, to user: UserRecord) async throws -> [String] {
        try await fixture.broker.pools(visibleTo: user).map(\.pool.name)
    }

    @Test func aPoolGrantedToNoOneIsForAdminsOnly() async throws {
        let fixture = try await fixture()
        let alice = try await fixture.user("alice")
        let boss = try await fixture.user("boss", admin: true)
        #expect(try await visible(fixture, to: alice) == ["office"])
        #expect(try await visible(fixture, to: boss) == ["lab", "office"])
        let refused = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "10.0.0.2")
        }
        #expect(refused?.code == .notEntitled && refused?.httpStatus == 403)
        #expect(try await fixture.store.sessions().isEmpty, "a refused user holds nothing")
        _ = try await fixture.broker.desktop(inPool: "lab", for: boss, clientAddress: "10.0.0.3")
        let unknown = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "nowhere", for: alice, clientAddress: "10.0.0.2")
        }
        #expect(unknown?.code == .poolNotFound)
    }

    @Test func aGroupsMembersGetItsPoolsUntilTheGrantOrTheGroupGoes() async throws {
        let fixture = try await fixture()
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        try await fixture.broker.createGroup("staff")
        try await fixture.broker.addToGroup("staff", users: ["alice"])
        try await fixture.broker.grant("lab", to: .group("staff"))
        #expect(try await visible(fixture, to: alice) == ["lab", "office"])
        #expect(try await visible(fixture, to: bob) == ["office"])
        let handout = try await fixture.broker.desktop(inPool: "lab", for: alice, clientAddress: "10.0.0.2")
        #expect(handout.session.vm == "desk2")

        try await fixture.broker.revoke("lab", from: .group("staff"))
        #expect(try await visible(fixture, to: alice) == ["office"])
        #expect(try await fixture.store.session(id: handout.session.id) != nil, "a live session stays until ended")
        try await fixture.broker.grant("lab", to: .user("bob"))
        #expect(try await visible(fixture, to: bob) == ["lab", "office"])

        try await fixture.broker.grant("lab", to: .group("staff"))
        try await fixture.broker.deleteGroup("staff")
        #expect(try await visible(fixture, to: alice) == ["office"], "deleting the group withdraws its grants")
        #expect(try await fixture.broker.poolGrants()["lab"] == [.user("bob")])
    }

    @Test func mistakesAreClearErrorsAndChangesAreAudited() async throws {
        let fixture = try await fixture()
        try await fixture.user("alice")
        let broker = fixture.broker
        let attempts: [(@Sendable () async throws -> Void, String)] = [
            ({ try await broker.grant("lab", to: .group("nobody")) }, "group_not_found"),
            ({ try await broker.grant("lab", to: .user("zed")) }, "user_not_found"),
            ({ try await broker.grant("nowhere", to: .everyone) }, "pool_not_found"),
            ({ try await broker.revoke("lab", from: .everyone) }, "grant_not_found"),
            ({ try await broker.addToGroup("nobody", users: ["alice"]) }, "group_not_found"),
            ({ try await broker.createGroup("has space") }, "bad_request"),
        ]
        for (attempt, code) in attempts {
            let error = await #expect(throws: BrokerError.self) { try await attempt() }
            #expect(error?.code.rawValue == code)
        }
        try await fixture.broker.createGroup("staff")
        await #expect(throws: BrokerError.self) { try await fixture.broker.createGroup("staff") }
        await #expect(throws: BrokerError.self) { try await fixture.broker.addToGroup("staff", users: ["alice", "zed"]) }
        #expect(try await fixture.broker.groups().first?.members == [], "all or none")

        try await fixture.broker.grant("lab", to: .everyone, by: "boss")
        let log = try await fixture.broker.audit.events(requestedBy: nil)
        #expect(log.first?.action == .poolGrant && log.first?.actor == "boss" && log.first?.detail == "granted to everyone")
        #expect(log.contains { $0.action == .groupCreate && $0.subject == "staff" })
    }
}
