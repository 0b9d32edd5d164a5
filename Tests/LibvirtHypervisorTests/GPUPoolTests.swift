import BrokerTestSupport
import Foundation
import Libvirt
@testable import LibvirtHypervisor
import Store
import Testing

import Broker

/// Template pools that ask for a GPU, through the broker with the fake hypervisor: placed while a board has room,
/// a clear 503 and no leftover VM once it is full.
@Suite("GPU template pools")
struct GPUPoolTests {
    /// One Tesla T4 with room for two GRID T4-2Q vGPUs.
    static let board = GPUInventory(devices: [
        GPUDevice(
            nodeName: "pci_0000_5e_00_0", address: PCIAddress(bus: 0x5e, slot: 0, function: 0), pciClass: 0x030200,
            mediatedTypes: [
                MediatedDeviceType(id: "nvidia-231", name: "GRID T4-2Q", deviceAPI: "vfio-pci", availableInstances: 2, instancesInUse: 0)
            ])
    ])

    static func fixture() async throws -> BrokerFixture {
        let fixture = try await BrokerFixture(vms: [])
        await fixture.hypervisor.setGPUHost(Self.board)
        let template = PoolTemplate(
            domainXML: "<domain/>", baseImage: "/images/base.qcow2", storagePool: "default", maxVMs: 5,
            gpu: .vgpu(typeID: "nvidia-231"), hideHypervisor: true)
        try await fixture.broker.createTemplatePool(name: "vdi", connectURI: "test:///default", desktopMode: .volatile, template: template)
        return fixture
    }

    @Test func vGPUDesktopsAreHandedOutWhileTheBoardHasRoom() async throws {
        let fixture = try await Self.fixture()
        let pool = try #require(try await fixture.broker.pools().first { $0.pool.name == "vdi" })
        #expect(pool.pool.template?.gpu == .vgpu(typeID: "nvidia-231"))
        #expect(pool.pool.template?.hideHypervisor == true)

        for (index, name) in ["alice", "bob"].enumerated() {
            let user = try await fixture.user(name)
            let session = try await fixture.broker.desktop(inPool: "vdi", for: user, clientAddress: "203.0.113.\(index + 5)").session
            #expect(session.state == .ready)
        }
        let placements = await fixture.hypervisor.gpus
        #expect(placements.keys.sorted() == ["vdi-001", "vdi-002"])
        #expect(placements.values.allSatisfy { $0.nodeName == "pci_0000_5e_00_0" && $0.mediatedTypeID == "nvidia-231" })
        #expect(Set(placements.values.map(\.hostdev)).count == 2)
    }

    @Test func aFullBoardAnswers503AndLeavesNoVMBehind() async throws {
        let fixture = try await Self.fixture()
        var sessions: [String: SessionRecord] = [:]
        for name in ["alice", "bob"] {
            let user = try await fixture.user(name)
            sessions[name] = try await fixture.broker.desktop(inPool: "vdi", for: user, clientAddress: "203.0.113.5").session
        }
        let carol = try await fixture.user("carol")
        let error = await #expect(throws: BrokerError.self) {
            try await fixture.broker.desktop(inPool: "vdi", for: carol, clientAddress: "203.0.113.7")
        }
        #expect(error?.code == .gpuCapacityExhausted)
        #expect(error?.httpStatus == 503)
        #expect(error?.message.contains("nvidia-231 (GRID T4-2Q)") == true)
        let vms = try await fixture.broker.vms(inPool: "vdi")
        #expect(vms.map(\.name) == ["vdi-001", "vdi-002"])
        #expect(vms.allSatisfy { $0.brokenReason == nil })
        #expect(try await fixture.store.sessions().count == 2)
        #expect(await fixture.forwarder.rules.count == 2)

        // A volatile desktop thrown away gives its vGPU back.
        try await fixture.broker.endSession(id: try #require(sessions["alice"]).id, requestedBy: nil)
        #expect(await fixture.hypervisor.gpus["vdi-001"] == nil)
        let again = try await fixture.broker.desktop(inPool: "vdi", for: carol, clientAddress: "203.0.113.7").session
        #expect(again.vm == "vdi-001")
        #expect(await fixture.hypervisor.gpus.count == 2)
    }
}

/// `LibvirtHypervisor` giving template desktops a GPU on libvirt's test driver, over the GPU host fixture with a
/// storage pool added. The test driver defines domains with `<hostdev>`s but creates no mediated devices (it only
/// creates NPIV vHBAs), so a vGPU desktop is checked up to its placement and the clean-up after libvirt's refusal;
/// pass-through desktops are created for real.
@Suite("GPU desktops on libvirt's test driver")
struct GPUProvisionTests {
    static let storagePool = "gpu-pool"
    static let host = GPUHostFixture.host.replacingOccurrences(of: "</node>", with: """
          <pool type='dir'>
            <name>gpu-pool</name>
            <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid>
            <capacity>107374182400</capacity><allocation>0</allocation><available>107374182400</available>
            <target><path>/gpu-pool</path></target>
          </pool>
        </node>
        """)
    static let domainXML = """
        <domain type='test'>
          <name>golden</name>
          <memory unit='KiB'>65536</memory>
          <os><type arch='x86_64'>hvm</type></os>
          <devices><graphics type='spice' port='5930' autoport='no' listen='192.0.2.10'/></devices>
        </domain>
        """

    /// Opens the fixture host with a base image in its storage pool and runs `body` with a hypervisor on it.
    static func withHost(
        _ xml: String = host, _ body: (LibvirtConnection, LibvirtHypervisor, PoolTemplate) async throws -> Void
    ) async throws {
        try await GPUHostFixture.withHost(xml) { uri in
            let connection = try await LibvirtConnection.open(uri)
            defer { connection.close() }
            var base = "/nowhere/base.qcow2"
            if try await connection.storagePoolIsActive(storagePool) {
                base = try await connection.createBlankVolume(named: "base.qcow2", inStoragePool: storagePool, capacity: 16 << 20)
            }
            let template = PoolTemplate(domainXML: domainXML, baseImage: base, storagePool: storagePool, maxVMs: 3)
            try await body(connection, LibvirtHypervisor(connections: [connection]), template)
        }
    }

    /// What is left of a VM on the host: its domain, its overlay.
    static func leftovers(of vm: String, on connection: LibvirtConnection) async throws -> [String] {
        var found: [String] = []
        if try await connection.domains().contains(where: { $0.name == vm }) { found.append("domain") }
        if try await connection.volumePath(named: "\(vm).qcow2", inStoragePool: storagePool) != nil { found.append("overlay") }
        return found
    }

    @Test func aPassThroughDesktopGetsTheFreeGPUAndHidesTheHypervisor() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .passthrough
            template.hideHypervisor = true
            template.hypervVendorID = "saffron"
            try await hypervisor.checkTemplate(template, connectURI: connection.uri)
            let first = VMRef(connectURI: connection.uri, domain: "cad-001")
            try await hypervisor.provision(first, from: template)

            let xml = try await connection.xml(ofDomain: "cad-001", inactive: true)
            // The Radeon is cad-1's and the P4 hosts vGPUs, so the empty T4 is the one free for pass-through.
            #expect(try DomainXML.gpuHostdevs(inDomainXML: xml) == [.pciPassthrough(GPUHostFixture.t4)])
            #expect(xml.contains("<hidden state='on'/>"))
            #expect(xml.contains("<vendor_id state='on' value='saffron'/>"))

            let second = VMRef(connectURI: connection.uri, domain: "cad-002")
            let error = await #expect(throws: BrokerError.self) { try await hypervisor.provision(second, from: template) }
            #expect(error?.code == .gpuCapacityExhausted)
            #expect(error?.httpStatus == 503)
            let leftovers = try await Self.leftovers(of: "cad-002", on: connection)
            #expect(leftovers.isEmpty)

            try await hypervisor.discard(first, from: template)
            try await hypervisor.provision(second, from: template)
            let moved = try await connection.xml(ofDomain: "cad-002", inactive: true)
            #expect(try DomainXML.gpuHostdevs(inDomainXML: moved) == [.pciPassthrough(GPUHostFixture.t4)])
        }
    }

    @Test func withoutHidingTheDomainShowsTheHypervisor() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .passthrough
            try await hypervisor.provision(VMRef(connectURI: connection.uri, domain: "cad-001"), from: template)
            let xml = try await connection.xml(ofDomain: "cad-001", inactive: true)
            #expect(!xml.contains("<hidden"))
            #expect(try DomainXML.gpuHostdevs(inDomainXML: xml).count == 1)
        }
    }

    @Test func aVGPUIsPlacedOnTheBoardWithRoomButTheTestDriverCreatesNone() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .vgpu(typeID: "nvidia-63")
            let vm = VMRef(connectURI: connection.uri, domain: "vdi-001")
            let error = await #expect(throws: BrokerError.self) { try await hypervisor.provision(vm, from: template) }
            // The P4 is the one board offering nvidia-63; libvirt's refusal is passed on, not a made-up success.
            #expect(error?.code == .hypervisorError)
            #expect(error?.message.contains("nvidia-63 vGPU on pci_0000_3b_00_0") == true)
            let leftovers = try await Self.leftovers(of: "vdi-001", on: connection)
            #expect(leftovers.isEmpty)

            template.gpu = .vgpu(typeID: "nvidia-64")
            let full = await #expect(throws: BrokerError.self) { try await hypervisor.provision(vm, from: template) }
            #expect(full?.code == .gpuCapacityExhausted)
        }
    }

    @Test func discardingAVGPUDesktopFindsItsMediatedDeviceAndRemovesTheRest() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .vgpu(typeID: "nvidia-63")
            // A desktop as provision leaves it, on one of the fixture's two existing mediated devices.
            let uuid = "4b20d080-1b54-4048-85b3-a6a62d165c01"
            let overlay = try await connection.createOverlay(
                named: "vdi-001.qcow2", inStoragePool: Self.storagePool, backingPath: template.baseImage)
            let xml = try DomainXML.addingGPU(
                .mediated(uuid: uuid),
                toDomainXML: try DomainXML.desktop(fromTemplate: template.domainXML, name: "vdi-001", diskPath: overlay, password: "x"))
            _ = try await connection.define(xml: xml)

            let defined = try await connection.xml(ofDomain: "vdi-001", inactive: true)
            #expect(try LibvirtHypervisor.mediatedDeviceUUIDs(inDomainXML: defined) == [uuid])

            // The test driver answers virNodeDeviceDestroy with success but keeps listing the device, so only the
            // domain and overlay being gone can be seen here.
            try await hypervisor.discard(VMRef(connectURI: connection.uri, domain: "vdi-001"), from: template)
            let leftovers = try await Self.leftovers(of: "vdi-001", on: connection)
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aPoolAskingForWhatTheHostLacksIsRefusedWithWhatItHas() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .vgpu(typeID: "nvidia-999")
            let missing = await #expect(throws: BrokerError.self) {
                try await hypervisor.checkTemplate(template, connectURI: connection.uri)
            }
            #expect(missing?.code == .gpuNotOnHost)
            #expect(missing?.httpStatus == 409)
            #expect(missing?.message.contains("saffron gpu list --connect \(connection.uri)") == true)
            #expect(missing?.message.contains("nvidia-63 (GRID P4-1Q)") == true)

            template.gpu = .vgpu(typeID: "nvidia-231")
            try await hypervisor.checkTemplate(template, connectURI: connection.uri)

            template.hypervVendorID = "saffron"
            let unhidden = await #expect(throws: BrokerError.self) {
                try await hypervisor.checkTemplate(template, connectURI: connection.uri)
            }
            #expect(unhidden?.httpStatus == 400)
            template.hideHypervisor = true
            template.hypervVendorID = "thirteen-char"
            let long = await #expect(throws: BrokerError.self) {
                try await hypervisor.checkTemplate(template, connectURI: connection.uri)
            }
            #expect(long?.httpStatus == 400)
        }
        let bare = """
            <node>
              <device><name>computer</name><capability type='system'><hardware><uuid>6a1f0c5e-3c1d-4e0b-9d52-3b0a2c9e7f10</uuid></hardware><firmware/></capability></device>
              <pool type='dir'><name>gpu-pool</name><uuid>35bb2ad9-388a-cdfe-461a-b8907f6e53fe</uuid><target><path>/gpu-pool</path></target></pool>
            </node>
            """
        try await Self.withHost(bare) { connection, hypervisor, template in
            var template = template
            template.gpu = .passthrough
            let none = await #expect(throws: BrokerError.self) {
                try await hypervisor.checkTemplate(template, connectURI: connection.uri)
            }
            #expect(none?.code == .gpuNotOnHost)
            #expect(none?.message.contains("no GPU to pass through") == true)
        }
    }

    @Test func aFullHostAnswersTheHandout503AndLeavesNoVMBehind() async throws {
        try await Self.withHost { connection, hypervisor, template in
            var template = template
            template.gpu = .passthrough
            let store = try SQLiteStore(inMemoryNamed: UUID().uuidString)
            let broker = Broker(
                store: store, hypervisor: hypervisor, forwarder: RecordingForwarder(),
                settings: BrokerSettings(
                    publicAddress: "198.51.100.1", portRange: 20000...20009, ticketValidity: 30,
                    connectURIs: ConnectURIPolicy(allowed: [connection.uri])))
            try await broker.createTemplatePool(name: "cad", connectURI: connection.uri, desktopMode: .persistent, template: template)
            let accounts = Accounts(store: store, bcryptCost: 4, tokenLifetime: 3600)
            let alice = try await accounts.addUser(name: "alice", password: "pw-alice", isAdmin: false)
            let bob = try await accounts.addUser(name: "bob", password: "pw-bob", isAdmin: false)

            let session = try await broker.desktop(inPool: "cad", for: alice, clientAddress: "203.0.113.5").session
            #expect(session.vm == "cad-001" && session.state == .ready)
            let error = await #expect(throws: BrokerError.self) {
                try await broker.desktop(inPool: "cad", for: bob, clientAddress: "203.0.113.6")
            }
            #expect(error?.code == .gpuCapacityExhausted)
            #expect(error?.httpStatus == 503)
            let vms = try await broker.vms(inPool: "cad")
            #expect(vms.map(\.name) == ["cad-001"])
            #expect(vms.allSatisfy { $0.brokenReason == nil })
            let holders = try await store.sessions().map(\.user)
            #expect(holders == ["alice"])
            let leftovers = try await Self.leftovers(of: "cad-002", on: connection)
            #expect(leftovers.isEmpty)
        }
    }
}
