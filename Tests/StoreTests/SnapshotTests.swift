import Foundation
import Store
import Testing

/// Moving a broker's state between backends: everything arrives, in one piece, and only into an empty store.
@Suite struct SnapshotTests {
    /// A store holding one of everything, with whole-second times (both backends keep those exactly).
    static func filledStore(_ backend: Backend) async throws -> any Store {
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        let (store, _) = try await makeEmptyStore(backend)
        try await store.addPool(
            PoolRecord(name: "office", connectURI: "test:///default", otherConnectURIs: ["qemu+tcp://198.18.5.2/system"], createdAt: at))
        try await store.addVMs(["desk1", "desk2"], toPool: "office", hosts: ["desk2": "qemu+tcp://198.18.5.2/system"], now: at)
        for (name, admin) in [("alice", true), ("bob", false)] {
            try await store.addUser(UserRecord(name: name, passwordHash: "hash-\(name)", isAdmin: admin, createdAt: at))
        }
        try await store.updateUser(named: "bob", isAdmin: nil, isAuditor: true, passwordHash: nil)
        try await store.addToken(hash: "t1", user: "alice", expiresAt: at.addingTimeInterval(3600))
        var policy = PoolPolicy(spares: 1, attachWindowSeconds: nil, ticketValiditySeconds: 90, consoleRoute: ConsoleRoute(rawValue: "proxy"))
        policy.maxSessionsPerUser = 2
        let template = PoolTemplate(
            domainXML: "<domain/>", baseImage: "/b.qcow2", storagePool: "default", maxVMs: 3, gpu: .vgpu(typeID: "nvidia-63"),
            hideHypervisor: true, hypervVendorID: "saffron")
        try await store.addPool(
            PoolRecord(name: "home", connectURI: "qemu:///system", desktopMode: .persistent, template: template, policy: policy, createdAt: at))
        try await store.markBroken(vm: "desk2", pool: "office", reason: "no SPICE")
        var request = claim("alice")
        request.now = at
        request.newSessionID = "s1"
        request.publicAddress = "198.51.100.1"
        _ = try await store.claimDesktop(request)
        _ = try await store.markReady(sessionID: "s1", targetAddress: "198.18.2.1", targetPort: 5900, targetTLSPort: 5901)
        var home = claim("bob")
        home.pool = "home"
        home.now = at
        home.newSessionID = "s2"
        _ = try await store.claimDesktop(home)
        try await store.addGroup(named: "staff", now: at)
        try await store.addMembers(["alice", "bob"], toGroup: "staff")
        try await store.grantPool("office", to: .group("staff"))
        try await store.grantPool("home", to: .user("bob"))
        try await store.grantPool("home", to: .everyone)
        try await store.setDirectoryGroups(["designers", "cad"], ofUser: "bob")
        for index in 1...3 {
            try await store.appendAuditEvent(
                AuditEvent(at: at.addingTimeInterval(Double(index)), actor: "alice", action: .handout, subject: "s\(index)"))
        }
        return store
    }

    /// Each backend into the other (into itself when only SQLite is under test).
    static var moves: [(Backend, Backend)] {
        Backend.underTest.count > 1 ? [(.sqlite, .postgres), (.postgres, .sqlite)] : [(.sqlite, .sqlite)]
    }

    @Test(arguments: moves)
    func everythingArrivesAndNewAuditEntriesFollowTheCopiedOnes(_ from: Backend, _ to: Backend) async throws {
        let source = try await Self.filledStore(from)
        let snapshot = try await source.snapshot()
        #expect(snapshot.users.count == 2 && snapshot.sessions.count == 2 && snapshot.auditEvents.count == 3)
        #expect(snapshot.vms.contains { $0.name == "home-001" && $0.assignedUser == "bob" })

        let (target, _) = try await makeEmptyStore(to)
        try await target.restore(snapshot)
        #expect(try await target.snapshot() == snapshot)
        #expect(try await target.user(forTokenHash: "t1", now: Date(timeIntervalSince1970: 1_800_000_000))?.name == "alice")
        #expect(try await target.entitledPools(ofUser: "bob") == ["office", "home"])

        try await target.appendAuditEvent(AuditEvent(at: Date(), actor: "cli", action: .poolUpdate, subject: "office"))
        #expect(try await target.auditEvents(before: nil, limit: 1).first?.id == 4)
        await #expect(throws: StoreError.notEmpty) { try await target.restore(snapshot) }
        try await target.markBroken(vm: "desk2", pool: "office", reason: nil)
        var next = claim("bob")
        next.publicAddress = "198.51.100.1"
        #expect(try await target.claimDesktop(next).session.publicPort == 20002, "leases go on where they were")
    }
}
