import Broker
import BrokerTestSupport
import Foundation
import Store
import Testing

/// Pools over several libvirt hosts: new VMs go where there is room, existing VMs are found where they live, and a
/// host that does not answer is passed over rather than breaking the pool.
@Suite struct PoolHostsTests {
    static let hostA = "qemu:///system"
    static let hostB = "qemu+ssh://host2/system"

    /// A broker over a fake hypervisor whose VMs live on `hosts`, with users alice, bob and carol.
    struct TwoHosts {
        let store: any Store
        let hypervisor: FakeHypervisor
        let broker: Broker
        let users: [String: UserRecord]

        init(vms: [String: String] = [:]) async throws {
            store = try await BrokerFixture.newStore()
            hypervisor = FakeHypervisor(Array(vms.keys), hosts: vms)
            broker = Broker(
                store: store, hypervisor: hypervisor, forwarder: RecordingForwarder(),
                settings: BrokerSettings(
                    publicAddress: "198.51.100.1", portRange: 20000...20009, ticketValidity: 30,
                    connectURIs: BrokerFixture.connectURIs))
            let accounts = Accounts(store: store, bcryptCost: 4, tokenLifetime: 3600, metrics: BrokerMetrics())
            var users: [String: UserRecord] = [:]
            for name in ["alice", "bob", "carol"] {
                users[name] = try await accounts.addUser(name: name, password: "pw-\(name)", isAdmin: false)
            }
            self.users = users
        }

        func desktop(_ pool: String, for user: String, from client: String = "203.0.113.5") async throws -> SessionRecord {
            try await broker.desktop(inPool: pool, for: users[user]!, clientAddress: client).session
        }
    }

    @Test func aTemplatePoolCreatesEachVMOnTheHostWithTheMostFreeMemory() async throws {
        let bed = try await TwoHosts()
        var template = TemplatePoolTests.template
        template.maxVMs = 4
        try await bed.broker.createTemplatePool(
            name: "lab", connectURI: Self.hostA, otherConnectURIs: [Self.hostB], desktopMode: .volatile, template: template)
        await bed.hypervisor.setFreeMemory(2 << 30, on: Self.hostA)
        await bed.hypervisor.setFreeMemory(6 << 30, on: Self.hostB)

        let first = try await bed.desktop("lab", for: "alice")
        #expect(await bed.hypervisor.startedOn[first.vm] == Self.hostB, "the host with more room")
        #expect(try await bed.store.vm(named: first.vm, inPool: "lab")?.connectURI == Self.hostB)
        await bed.hypervisor.setFreeMemory(1 << 30, on: Self.hostB)
        let second = try await bed.desktop("lab", for: "bob")
        #expect(await bed.hypervisor.startedOn[second.vm] == Self.hostA)
        #expect(try await bed.store.vm(named: second.vm, inPool: "lab")?.connectURI == nil, "the pool's first host")

        // Its console tickets go to the host each VM lives on.
        _ = try await bed.broker.consoleFile(forSession: first.id, user: bed.users["alice"]!)
        #expect(await bed.hypervisor.vms[first.vm]?.ticket != nil)

        // A host that does not answer is skipped for new VMs.
        await bed.hypervisor.setDown(Self.hostA)
        let third = try await bed.desktop("lab", for: "carol")
        #expect(await bed.hypervisor.startedOn[third.vm] == Self.hostB)
    }

    @Test func existingVMsAreFoundOnTheirHostsAndADownHostIsPassedOver() async throws {
        let bed = try await TwoHosts(vms: ["a1": Self.hostA, "b1": Self.hostB, "b2": Self.hostB])
        try await bed.broker.createPool(name: "office", connectURI: Self.hostA, otherConnectURIs: [Self.hostB])
        try await bed.broker.addVMs(["a1", "b1", "b2"], toPool: "office")
        #expect(try await bed.store.vms(inPool: "office").map(\.connectURI) == [nil, Self.hostB, Self.hostB])

        let first = try await bed.desktop("office", for: "alice")
        #expect(first.vm == "a1")
        #expect(await bed.hypervisor.startedOn["a1"] == Self.hostA)

        // Host B goes down: nothing is free on A, so bob hears that a host is down; B's VMs are not marked broken,
        // and come back with their host.
        await bed.hypervisor.setDown(Self.hostB)
        do {
            _ = try await bed.desktop("office", for: "bob")
            Issue.record("a desktop on a host that is down was handed out")
        } catch let error as BrokerError {
            #expect(error.code == .hypervisorUnavailable && error.httpStatus == 503, "\(error)")
        }
        #expect(try await bed.store.vms(inPool: "office").allSatisfy { $0.brokenReason == nil })
        await bed.broker.tendPools()
        #expect(try await bed.store.vms(inPool: "office").allSatisfy { $0.brokenReason == nil && $0.isProvisioned })
        #expect(try await bed.store.session(id: first.id) != nil, "A's session lives on while B is down")

        await bed.hypervisor.setDown(Self.hostB, false)
        let second = try await bed.desktop("office", for: "bob")
        #expect(await bed.hypervisor.startedOn[second.vm] == Self.hostB)
    }

    @Test func aDownHostsVMsAreSkippedForTheOtherHosts() async throws {
        let bed = try await TwoHosts(vms: ["a1": Self.hostA, "b1": Self.hostB])
        try await bed.broker.createPool(name: "office", connectURI: Self.hostB, otherConnectURIs: [Self.hostA])
        try await bed.broker.addVMs(["a1", "b1"], toPool: "office")
        // The store offers a1 first (by name); its host is down, so b1 is handed out.
        await bed.hypervisor.setDown(Self.hostA)
        let session = try await bed.desktop("office", for: "alice")
        #expect(session.vm == "b1")
        #expect(try await bed.store.vm(named: "a1", inPool: "office")?.brokenReason == nil)
    }

    @Test func addingAVMNoHostDefinesIsRefusedNamingTheHostsThatDidNotAnswer() async throws {
        let bed = try await TwoHosts(vms: ["a1": Self.hostA])
        try await bed.broker.createPool(name: "office", connectURI: Self.hostA, otherConnectURIs: [Self.hostB])
        await bed.hypervisor.setDown(Self.hostB)
        do {
            try await bed.broker.addVMs(["a1", "ghost"], toPool: "office")
            Issue.record("a VM defined nowhere was added")
        } catch let error as BrokerError {
            #expect(error.code == .vmNotFound && error.message.contains("ghost") && error.message.contains(Self.hostB))
        }
        #expect(try await bed.store.vms(inPool: "office").isEmpty, "all or none")
    }

    @Test func hostsAreAddedAndRemovedWhileNoVMLivesOnThem() async throws {
        let bed = try await TwoHosts(vms: ["b1": Self.hostB])
        try await bed.broker.createPool(name: "office", connectURI: Self.hostA)
        await #expect(throws: BrokerError.self) { try await bed.broker.addVMs(["b1"], toPool: "office") }
        #expect(try await bed.broker.addHost(Self.hostB, toPool: "office").connectURIs == [Self.hostA, Self.hostB])
        try await bed.broker.addVMs(["b1"], toPool: "office")

        for (host, code) in [(Self.hostB, "host_in_use"), ("test:///default", "host_not_found")] {
            do {
                try await bed.broker.removeHost(host, fromPool: "office")
                Issue.record("\(host) was removed")
            } catch let error as BrokerError {
                #expect(error.code.rawValue == code, "\(error)")
            }
        }
        await #expect(throws: BrokerError.self) { try await bed.broker.addHost(Self.hostA, toPool: "office") }
        await #expect(throws: BrokerError.self) { try await bed.broker.addHost("qemu+tcp://elsewhere/system", toPool: "office") }

        let pool = try await bed.broker.removeHost(Self.hostA, fromPool: "office")
        #expect(pool.connectURI == Self.hostB && pool.otherConnectURIs.isEmpty)
        do {
            try await bed.broker.removeHost(Self.hostB, fromPool: "office")
            Issue.record("the only host was removed")
        } catch let error as BrokerError {
            #expect(error.code == .hostInUse)
        }
        let session = try await bed.desktop("office", for: "alice")
        #expect(await bed.hypervisor.startedOn[session.vm] == Self.hostB)
    }

    @Test func aHostDeclaredGoneTakesItsVMsAndTheirSessionsWithIt() async throws {
        let bed = try await TwoHosts(vms: ["a1": Self.hostA, "b1": Self.hostB])
        try await bed.broker.createPool(name: "office", connectURI: Self.hostA, otherConnectURIs: [Self.hostB])
        try await bed.broker.addVMs(["a1", "b1"], toPool: "office")
        let onA = try await bed.desktop("office", for: "alice")
        let onB = try await bed.desktop("office", for: "bob")
        #expect(onB.vm == "b1")
        await bed.hypervisor.setDown(Self.hostB)

        let pool = try await bed.broker.removeHost(Self.hostB, fromPool: "office", gone: true)
        #expect(pool.connectURIs == [Self.hostA])
        #expect(try await bed.store.session(id: onB.id) == nil, "its session ended")
        #expect(try await bed.store.session(id: onA.id) != nil)
        #expect(try await bed.store.vms(inPool: "office").map(\.name) == ["a1"])
        let events = try await bed.store.auditEvents(before: nil, limit: 20)
        #expect(events.contains { $0.action == .sessionEnd && $0.subject == onB.id })
    }
}
