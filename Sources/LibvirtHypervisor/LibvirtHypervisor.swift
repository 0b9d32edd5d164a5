import Broker
import Foundation
import Libvirt
import Logging

/// The `Hypervisor` backed by libvirt: a few cached connections per URI, used in turn, reopened when libvirtd went
/// away.
///
/// Each `LibvirtConnection` runs its calls one after another, so one connection would make every user's steps wait
/// in one line (a boot storm's creations, starts and tickets); several let them overlap.
public actor LibvirtHypervisor: Hypervisor {
    private struct Connections {
        var open: [LibvirtConnection]
        var next = 0
    }

    private var connections: [String: Connections] = [:]
    /// URIs whose one connection was handed in: never more are opened for them.
    private let handedIn: Set<String>
    private let connectionsPerURI: Int
    /// The URIs it opens connections to; others are refused before libvirt sees them.
    let policy: ConnectURIPolicy?
    private let logger: Logger

    /// - Parameters:
    ///   - connections: connections to use instead of opening new ones for their URIs (the test driver keeps its
    ///     domains per connection, so a benchmark or test that defines domains hands its connection in).
    ///   - connectionsPerURI: how many connections to open to each other URI at most.
    ///   - policy: the URIs it may open (a pool stored before the policy was narrowed is refused too); nil: any.
    public init(
        connections: [LibvirtConnection] = [], connectionsPerURI: Int = 4, policy: ConnectURIPolicy? = nil,
        logger: Logger = Logger(label: "saffron.libvirt")
    ) {
        self.policy = policy
        self.logger = logger
        let given = Dictionary(connections.map { ($0.uri, $0) }, uniquingKeysWith: { first, _ in first })
        self.connections = given.mapValues { Connections(open: [$0]) }
        self.handedIn = Set(given.keys)
        self.connectionsPerURI = max(1, connectionsPerURI)
    }

    public func prepareForPool(_ vm: VMRef) async throws {
        try await withConnection(to: vm) { connection in
            let info = try await connection.domain(named: vm.domain)
            guard try await connection.spiceGraphics(ofDomain: vm.domain, inactive: true) != nil else {
                throw BrokerError(.vmWithoutSpice, "VM \(vm.domain) has no SPICE graphics. Add <graphics type='spice' autoport='yes'/> to it.")
            }
            if info.state == .running || info.state == .paused,
                try await connection.spiceGraphics(ofDomain: vm.domain)?.hasPassword != true
            {
                throw BrokerError(.vmNeedsRestart, """
                        VM \(vm.domain) is running with SPICE ticketing off, so anyone could connect to it. \
                        Shut it down (virsh shutdown \(vm.domain)) and add it again; the broker starts it with ticketing on.
                        """)
            }
            try await connection.lockSpicePassword(ofDomain: vm.domain)
        }
    }

    public func startIfNeeded(_ vm: VMRef) async throws -> SpiceEndpoint {
        try await withConnection(to: vm, missingVMIsServerError: true) { connection in
            if try await connection.domain(named: vm.domain).state != .running {
                try await connection.start(named: vm.domain)
            }
            guard let graphics = try await connection.spiceGraphics(ofDomain: vm.domain), let port = graphics.port, port > 0 else {
                throw BrokerError.hypervisor("VM \(vm.domain) is running but shows no SPICE port.")
            }
            guard graphics.hasPassword else {
                throw BrokerError(.vmNeedsRestart, "VM \(vm.domain) runs with SPICE ticketing off; shut it down so the broker can start it locked.")
            }
            return SpiceEndpoint(
                address: Self.reachableAddress(listen: graphics.listen, connectURI: vm.connectURI), port: port,
                tlsPort: graphics.tlsPort.flatMap { $0 > 0 ? $0 : nil })
        }
    }

    public func setTicket(_ ticket: String, on vm: VMRef, validFor validity: TimeInterval) async throws -> Date {
        try await withConnection(to: vm, missingVMIsServerError: true) { connection in
            try await connection.setSpiceTicket(ofDomain: vm.domain, ticket: ticket, validFor: validity, connected: .keep)
        }
    }

    public func revokeTicket(on vm: VMRef) async throws {
        try await withConnection(to: vm) { connection in
            guard try await connection.domain(named: vm.domain).state == .running else { return }
            try await connection.setSpiceTicket(
                ofDomain: vm.domain, ticket: TicketGenerator.newTicket(), validUntil: Date(timeIntervalSince1970: 0),
                connected: .disconnect)
        }
    }

    /// The address the gateway forwards to: the listen address, or for a wildcard listen the connection's host.
    static func reachableAddress(listen: String?, connectURI: String) -> String {
        if let listen, !["", "0.0.0.0", "::", "[::]"].contains(listen) { return listen }
        if let host = URLComponents(string: connectURI)?.host, !host.isEmpty { return host }
        return "127.0.0.1"
    }

    /// Runs `body` on the VM's connection. A lost connection (libvirtd restarted) is reopened and `body` tried once
    /// more; libvirt errors become broker errors carrying libvirt's message.
    /// - Parameter missingVMIsServerError: a VM of a pool that libvirt no longer knows is the admin's problem, not
    ///   the user's: 502 instead of 404.
    func withConnection<T: Sendable>(
        to vm: VMRef, missingVMIsServerError: Bool = false, _ body: (LibvirtConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await retryingOnLostConnection(vm.connectURI, body)
        } catch let error as LibvirtError {
            if error.isConnectionLost { throw Self.unavailable(vm.connectURI, error) }
            if error.isNotFound {
                throw missingVMIsServerError
                    ? BrokerError.hypervisor("VM \(vm.domain) is gone from libvirt; an admin must remove or restore it.")
                    : BrokerError(.vmNotFound, "libvirt: \(error.message)")
            }
            throw BrokerError.hypervisor("libvirt: \(error.message)")
        }
    }

    /// Runs `body` like `withConnection`, but a libvirt refusal is the caller's input at fault: a 400 with
    /// `explain`'s message.
    func withConnection<T: Sendable>(
        to vm: VMRef, _ body: (LibvirtConnection) async throws -> T,
        explainingFailure explain: (LibvirtError) -> String
    ) async throws -> T {
        do {
            return try await retryingOnLostConnection(vm.connectURI, body)
        } catch let error as LibvirtError {
            if error.isConnectionLost { throw Self.unavailable(vm.connectURI, error) }
            throw BrokerError.badRequest(explain(error))
        }
    }

    private func retryingOnLostConnection<T: Sendable>(
        _ uri: String, _ body: (LibvirtConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await body(try await connection(for: uri))
        } catch let error as LibvirtError where error.isConnectionLost {
            forget(uri)
            do {
                return try await body(try await connection(for: uri))
            } catch let error as LibvirtError where error.isConnectionLost {
                forget(uri)
                throw error
            }
        }
    }

    private static func unavailable(_ uri: String, _ error: LibvirtError) -> BrokerError {
        BrokerError(.hypervisorUnavailable, "libvirt at \(uri) does not answer (\(error.message)); try again shortly.")
    }

    /// The next connection to `uri` in turn, opening one while fewer than `connectionsPerURI` are open.
    private func connection(for uri: String) async throws -> LibvirtConnection {
        let open = connections[uri]?.open ?? []
        if open.count >= connectionsPerURI || (handedIn.contains(uri) && !open.isEmpty) {
            let index = (connections[uri]?.next ?? 0) % open.count
            connections[uri]?.next = index + 1
            return open[index]
        }
        try policy?.checkStored(uri)
        let connection: LibvirtConnection
        do {
            connection = try await LibvirtConnection.open(uri)
        } catch let error as LibvirtError {
            // libvirt's words can quote what it read (the test driver parses any file it is pointed at): logged, not
            // answered.
            logger.warning("cannot open libvirt connection", metadata: ["connect": "\(uri)", "error": "\(error)"])
            throw BrokerError(.hypervisorUnavailable, "libvirt at \(uri) could not be opened (libvirt error \(error.code)); the broker's log says why. Try again shortly.")
        }
        if (connections[uri]?.open.count ?? 0) >= connectionsPerURI {  // others opened theirs meanwhile
            connection.close()
            return try await self.connection(for: uri)
        }
        connections[uri, default: Connections(open: [])].open.append(connection)
        return connection
    }

    /// Closes every connection to `uri`: one was lost, so the others went with the same daemon.
    private func forget(_ uri: String) {
        for connection in connections.removeValue(forKey: uri)?.open ?? [] { connection.close() }
    }
}
