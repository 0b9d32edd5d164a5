import Broker
import Firewall
import GatewayAccess
import Foundation
import LibvirtHypervisor
import PostgresStore
import PostgresTestSupport
import Store

/// An in-memory hypervisor: VMs that start instantly and remember their tickets.
public actor FakeHypervisor: Hypervisor {
    public struct VM: Sendable {
        public var running = false
        public var ticketable = true
        public var ticket: String?
        public var validUntil: Date?
        public var disconnects = 0
        /// How many tickets were set on it.
        public var ticketsSet = 0
    }
    public private(set) var vms: [String: VM]
    var failStart = false
    var brokenVMs: Set<String> = []
    /// Whether the VMs' SPICE servers offer TLS, on ports from 6000 (libvirt's `spice_tls`).
    var offersTLS = false
    /// Runs inside `startIfNeeded` before the VM counts as running (something happening while it boots).
    var whileStarting: (@Sendable (String) async -> Void)?

    /// The host each VM lives on, by connection URI; a VM not named here is on every host (one-host tests).
    public private(set) var hostOf: [String: String]
    /// Hosts that do not answer: every call to them fails as an unreachable libvirt does.
    public private(set) var downHosts: Set<String> = []
    /// Free memory per host; 8 GiB for a host not named.
    public private(set) var freeMemory: [String: UInt64] = [:]
    /// Where each VM was last started.
    public private(set) var startedOn: [String: String] = [:]

    /// Where events go while the broker watches a host, by connection URI (see `FakeHypervisor+Events.swift`).
    var eventWatchers: [String: AsyncThrowingStream<HypervisorEvent, any Error>.Continuation] = [:]
    /// The viewers `attachedViewers` reports per VM, as QEMU would answer when asked.
    public internal(set) var viewers: [String: [String]] = [:]
    /// The VMs `attachedViewers` was asked about, in order.
    public internal(set) var viewerQueries: [String] = []

    public init(_ names: [String], hosts: [String: String] = [:]) {
        vms = Dictionary(uniqueKeysWithValues: names.map { ($0, VM()) })
        hostOf = hosts
    }

    public func setDown(_ host: String, _ down: Bool = true) {
        if down { downHosts.insert(host) } else { downHosts.remove(host) }
    }
    public func setFreeMemory(_ bytes: UInt64, on host: String) { freeMemory[host] = bytes }

    /// Throws as `LibvirtHypervisor` does for a host that does not answer.
    func reach(_ host: String) throws {
        guard !downHosts.contains(host) else {
            throw BrokerError(.hypervisorUnavailable, "libvirt at \(host) does not answer")
        }
    }

    /// Whether `vm` is defined on the host it is asked on.
    private func lives(_ vm: VMRef) -> Bool {
        vms[vm.domain] != nil && (hostOf[vm.domain] ?? vm.connectURI) == vm.connectURI
    }

    public func freeMemory(on connectURI: String) async throws -> UInt64 {
        try reach(connectURI)
        return freeMemory[connectURI] ?? 8 << 30
    }

    /// Makes the VMs' SPICE servers offer TLS from their next start.
    public func offerTLS() {
        offersTLS = true
    }

    public func prepareForPool(_ vm: VMRef) async throws {
        try reach(vm.connectURI)
        guard let state = vms[vm.domain], lives(vm) else {
            throw BrokerError(.vmNotFound, "Domain not found: \(vm.domain)")
        }
        if state.running && !state.ticketable {
            throw BrokerError(.vmNeedsRestart, "running without ticketing")
        }
    }

    public func startIfNeeded(_ vm: VMRef) async throws -> SpiceEndpoint {
        try reach(vm.connectURI)
        if failStart || brokenVMs.contains(vm.domain) || !lives(vm) {
            throw BrokerError(.hypervisorError, "boom")
        }
        startedOn[vm.domain] = vm.connectURI
        await whileStarting?(vm.domain)
        vms[vm.domain]!.running = true
        let index = vms.keys.sorted().firstIndex(of: vm.domain)!
        return SpiceEndpoint(address: "192.0.2.10", port: 5900 + index, tlsPort: offersTLS ? 6000 + index : nil)
    }

    public func setTicket(_ ticket: String, on vm: VMRef, validFor validity: TimeInterval) async throws -> Date {
        let validUntil = Date().addingTimeInterval(validity)
        vms[vm.domain]!.ticket = ticket
        vms[vm.domain]!.validUntil = validUntil
        vms[vm.domain]!.ticketsSet += 1
        return validUntil
    }

    public func revokeTicket(on vm: VMRef) async throws {
        vms[vm.domain]!.ticket = nil
        vms[vm.domain]!.disconnects += 1
    }

    /// Template checks fail with this error when set.
    public var templateProblem: BrokerError?
    /// VMs `provision` created and `discard` threw away, in order.
    public private(set) var provisioned: [String] = []
    public private(set) var discarded: [String] = []
    var failProvision = false

    public func checkTemplate(_ template: PoolTemplate, connectURI: String) async throws {
        try reach(connectURI)
        if let templateProblem { throw templateProblem }
    }

    public func provision(_ vm: VMRef, from template: PoolTemplate) async throws {
        try reach(vm.connectURI)
        if failProvision { throw BrokerError(.hypervisorError, "no space left") }
        if let gpu = template.gpu { gpus[vm.domain] = try placeGPU(gpu, for: vm.domain) }
        vms[vm.domain] = VM()
        hostOf[vm.domain] = vm.connectURI
        provisioned.append(vm.domain)
    }

    public func discard(_ vm: VMRef, from template: PoolTemplate) async throws {
        vms[vm.domain] = nil
        gpus[vm.domain] = nil
        hostOf[vm.domain] = nil
        discarded.append(vm.domain)
    }

    /// The host's GPUs as they are with no desktop of the fake on them; templates asking for a GPU need it set.
    public private(set) var gpuHost: GPUInventory?
    /// The GPU placed for each VM `provision` created from a template asking for one, until `discard`.
    public private(set) var gpus: [String: GPUPlacement] = [:]

    public func setGPUHost(_ inventory: GPUInventory?) { gpuHost = inventory }

    /// Places `gpu` as `LibvirtHypervisor` does, after the GPUs of the VMs that have one now.
    private func placeGPU(_ gpu: TemplateGPU, for vm: String) throws -> GPUPlacement {
        guard let gpuHost else { throw BrokerError(.hypervisorError, "the fake host has no GPUs") }
        var planner = GPUPlanner(inventory: gpuHost)
        for placed in gpus.filter({ $0.key != vm }).sorted(by: { $0.key < $1.key }).map(\.value) {
            _ = try planner.place(placed.mediatedTypeID.map { .vgpu(typeID: $0) } ?? .passthrough)
        }
        return try planner.place(GPURequest(gpu))
    }

    /// VMs `shutDown` was asked for; a fake guest ignores the request when `ignoresShutdown` is set.
    public private(set) var shutdownRequests: [String] = []
    public var ignoresShutdown = false

    /// How many times the broker asked for a census.
    public private(set) var censuses = 0

    public func domainCensus(on connectURI: String) async throws -> DomainCensus {
        try reach(connectURI)
        censuses += 1
        let here = vms.filter { (hostOf[$0.key] ?? connectURI) == connectURI }
        return DomainCensus(defined: Set(here.keys), running: Set(here.filter(\.value.running).map(\.key)))
    }

    /// Forgets a VM, as `virsh undefine` behind the broker's back would.
    public func removeVM(_ name: String) { vms[name] = nil }

    public func shutDown(_ vm: VMRef) async throws {
        shutdownRequests.append(vm.domain)
        if !ignoresShutdown { vms[vm.domain]?.running = false }
    }

    public func powerOff(_ vm: VMRef) async throws {
        vms[vm.domain]?.running = false
    }

    /// A 640×400 PPM, dark blue on the left half, white on the right, in the form of QEMU's PPM screen dumps.
    public static let defaultScreen = Screenshot(
        mimeType: "image/x-portable-pixmap",
        bytes: Array("P6\n# fake screen\n640 400\n255\n".utf8)
            + (0..<640 * 400).flatMap { $0 % 640 < 320 ? [0, 0, 200] as [UInt8] : [255, 255, 255] })
    /// What `screenshot` answers for a running VM; nil: `defaultScreen`.
    public private(set) var screen: Screenshot?
    /// How many screenshots were taken.
    public private(set) var screenshots = 0

    public func screenshot(of vm: VMRef) async throws -> Screenshot {
        guard let state = vms[vm.domain] else {
            throw BrokerError(.vmNotFound, "Domain not found: \(vm.domain)")
        }
        guard state.running else { throw BrokerError.vmNotRunning(vm.domain) }
        screenshots += 1
        return screen ?? Self.defaultScreen
    }

    public func setScreen(_ screen: Screenshot) { self.screen = screen }
    public func setIgnoresShutdown(_ value: Bool) { ignoresShutdown = value }
    public func setWhileStarting(_ hook: (@Sendable (String) async -> Void)?) { whileStarting = hook }
    public func setTemplateProblem(_ problem: BrokerError?) { templateProblem = problem }
    public func setFailProvision(_ value: Bool) { failProvision = value }
    public func setFailStart(_ value: Bool) { failStart = value }
    public func breakVM(_ name: String) { brokenVMs.insert(name) }
    public func markRunningUnticketable(_ name: String) { vms[name] = VM(running: true, ticketable: false) }
}

/// A forwarder that keeps its rules in a set, as the real backends keep them in the kernel.
public actor RecordingForwarder: PortForwarder {
    public private(set) var rules: Set<ForwardRule> = []
    public private(set) var rebuilds = 0

    public init() {}

    public nonisolated var summary: String { "recording" }

    public func rebuild(_ rules: [ForwardRule]) async throws {
        self.rules = Set(rules)
        rebuilds += 1
    }
    public func reconcile(_ wanted: @Sendable () async throws -> [ForwardRule]) async throws -> Bool {
        let rules = Set(try await wanted())
        guard rules != self.rules else { return false }
        self.rules = rules
        return true
    }
    public func forwardedSessions() async throws -> Int { rules.count }
    public func install(_ rule: ForwardRule) async throws { rules.insert(rule) }
    public func remove(_ rule: ForwardRule) async throws { rules.remove(rule) }
    public func dropRule(_ rule: ForwardRule) { rules.remove(rule) }
    public func insertOrphan(_ rule: ForwardRule) { rules.insert(rule) }
}

/// A broker over a store, the fake hypervisor and the recording forwarder, with pool `office`. The store is an
/// in-memory SQLite database, or a new PostgreSQL database of the test server when `SAFFRON_TEST_BROKER_STORE` is
/// `postgres` (README's test command runs the broker and API tests that way too).
public struct BrokerFixture: Sendable {
    public let store: any Store
    public let hypervisor: FakeHypervisor
    public let forwarder: RecordingForwarder
    public let broker: Broker
    public let accounts: Accounts

    /// The libvirt connections the fixture's pools may use: the test driver's, the local one and a far one.
    public static let connectURIs = ConnectURIPolicy(allowed: ["test:///default", "qemu:///system", "qemu+ssh://host2/system"])

    public init(
        vms: [String] = ["desk1", "desk2", "desk3"], ports: ClosedRange<Int> = 20000...20009, proxyURL: String? = nil,
        spiceGateway: GatewayAccess.Endpoint? = nil, spiceTLS: SpiceTLSSettings? = nil, metrics: BrokerMetrics = BrokerMetrics()
    ) async throws {
        store = try await Self.newStore()
        hypervisor = FakeHypervisor(vms)
        forwarder = RecordingForwarder()
        broker = Broker(
            store: store, hypervisor: hypervisor, forwarder: forwarder,
            settings: BrokerSettings(
                publicAddress: "198.51.100.1", portRange: ports, ticketValidity: 30, spiceTLS: spiceTLS,
                connectURIs: Self.connectURIs),
            proxyURL: proxyURL, spiceGateway: spiceGateway,
            metrics: metrics)
        accounts = Accounts(store: store, bcryptCost: 4, tokenLifetime: 3600, metrics: metrics)
        try await broker.createPool(name: "office", connectURI: "test:///default")
        if !vms.isEmpty { try await broker.addVMs(vms, toPool: "office") }
    }

    /// A new, empty store of the backend under test.
    public static func newStore() async throws -> any Store {
        guard ProcessInfo.processInfo.environment["SAFFRON_TEST_BROKER_STORE"] == "postgres" else {
            return try SQLiteStore(inMemoryNamed: UUID().uuidString)
        }
        let store = try PostgresStore(location: try await TestPostgres.newDatabase(), logger: TestPostgres.quietLogger)
        try await store.prepare()
        return store
    }

    /// Another broker sharing the fixture's store, as a second machine would run it: node `nodeName` on gateway
    /// address `publicAddress`, with its own forwarder and, unless given, the fixture's hypervisor.
    public func otherBroker(
        nodeName: String = "broker-b", publicAddress: String = "198.51.100.2", ports: ClosedRange<Int> = 20000...20009,
        hypervisor: FakeHypervisor? = nil, forwarder: RecordingForwarder = RecordingForwarder(),
        roles: Set<NodeRole> = Set(NodeRole.allCases)
    ) -> Broker {
        Broker(
            store: store, hypervisor: hypervisor ?? self.hypervisor, forwarder: forwarder,
            settings: BrokerSettings(
                publicAddress: publicAddress, portRange: ports, ticketValidity: 30, connectURIs: Self.connectURIs,
                nodeName: nodeName, roles: roles))
    }

    @discardableResult
    public func user(_ name: String, admin: Bool = false) async throws -> UserRecord {
        try await accounts.addUser(name: name, password: "pw-\(name)", isAdmin: admin)
    }
}
