import Broker
import DNATAccess
import Firewall
import Foundation
import LibvirtHypervisor
import Logging
import Store

/// One scenario's broker, built in-process as `saffron serve` builds it but without HTTP: a fresh SQLite store, the
/// real libvirt hypervisor and no forwarding (the benchmark's client goes straight to each VM's SPICE port). It has
/// the users and the volatile template pool `storm`, as large as there are users.
struct StormBroker: Sendable {
    let broker: Broker
    let users: [UserRecord]
    let connect: String
    private let folder: URL

    static func make(environment: StormEnvironment, users count: Int) async throws -> StormBroker {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-storm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            return try await make(environment: environment, users: count, folder: folder)
        } catch {
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    private static func make(environment: StormEnvironment, users count: Int, folder: URL) async throws -> StormBroker {
        let store = try SQLiteStore(path: folder.appendingPathComponent("storm.sqlite").path)
        let settings = BrokerSettings(publicAddress: "127.0.0.1", portRange: 20000...20999, ticketValidity: 60)
        let broker = Broker(
            store: store, hypervisor: LibvirtHypervisor(), accessPaths: [DNATAccess(forwarder: NoForwarder(), settings: settings)],
            settings: settings, logger: Self.logger)
        // The lowest bcrypt cost: users are made by the hundred here and never log in.
        let accounts = Accounts(store: store, bcryptCost: 4, tokenLifetime: 3600)
        var users: [UserRecord] = []
        for index in 1...count {
            users.append(try await accounts.addUser(name: String(format: "storm-user-%03d", index), password: "storm", isAdmin: false))
        }
        // Nothing is taken back while the benchmark holds it: no attach window, grace or idle shutdown.
        let policy = PoolPolicy(spares: 0, attachWindowSeconds: nil, disconnectGraceSeconds: nil, idleShutdownSeconds: nil)
        try await broker.createTemplatePool(
            name: StormEnvironment.brokerPool, connectURI: environment.connect, desktopMode: .volatile,
            template: PoolTemplate(
                domainXML: try environment.templateXML(), baseImage: environment.baseImage,
                storagePool: StormEnvironment.storagePool, maxVMs: count),
            policy: policy)
        return StormBroker(broker: broker, users: users, connect: environment.connect, folder: folder)
    }

    /// Asks for `count` spares, booted at most `bootLimit` at once, and runs upkeep rounds until they all run; one
    /// more round then records them as the spares a handout takes first. Returns how long that took.
    func fillSpares(_ count: Int, bootLimit: Int, progress: (String) -> Void) async throws -> Duration {
        try await broker.updatePolicy(ofPool: StormEnvironment.brokerPool) { policy in
            policy.spares = count
            policy.bootLimit = bootLimit
        }
        let started = ContinuousClock.now
        let deadline = started + .seconds(60 + 10 * count)
        var running = 0
        while running < count {
            try Task.checkCancellation()
            guard ContinuousClock.now < deadline else {
                throw BenchFailure("only \(running) of \(count) spares were running after \(ContinuousClock.now - started)")
            }
            await broker.tendPools()
            running = try await spareCount()
            progress("  spares running: \(running)/\(count) after \(Self.seconds(ContinuousClock.now - started))")
        }
        await broker.tendPools()
        return ContinuousClock.now - started
    }

    /// Ends every session (each volatile desktop is thrown away as it would be in service) and removes the store.
    func finish() async {
        for session in (try? await broker.store.sessions()) ?? [] {
            try? await broker.endSession(id: session.id, requestedBy: nil, reason: "the boot storm is over")
        }
        removeStore()
    }

    /// Removes the store's directory (after a failure the environment's sweep removes the VMs).
    func removeStore() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// The storm's domains libvirt shows running.
    private func spareCount() async throws -> Int {
        try await broker.hypervisor.domainCensus(on: connect).running
            .filter { $0.hasPrefix("\(StormEnvironment.brokerPool)-") }.count
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", StormResult.milliseconds(duration) / 1000)
    }

    /// Errors only: the broker's info line per handout, boot and reset would swamp the benchmark's output.
    static let logger: Logger = {
        var logger = Logger(label: "saffron-bench.storm")
        logger.logLevel = .error
        return logger
    }()
}
