import HTTPAPI
import NIOCore
import Synchronization

/// The API's open connections counted per client, so that one client cannot hold them all.
///
/// A client is an IPv4 address, or an IPv6 /64: one host is handed a whole /64 (SLAAC, privacy addresses), so
/// counting IPv6 addresses one by one would give it billions of shares. An IPv4 client of a dual-stack socket counts
/// by its IPv4 address. Trusted reverse proxies are not counted here, as their connections are many clients'.
final class ClientConnectionShares: Sendable {
    /// What becomes of a new connection.
    enum Admission: Equatable, Sendable {
        /// Counted against `Client` until it closes.
        case counted(Client)
        /// Not counted: a trusted reverse proxy, or no IP peer.
        case uncounted
        /// Over its client's share: closed at once. `first` is set for the first refusal since the client last got a
        /// connection, so a flood is logged once rather than once a connection.
        case refused(first: Bool)
    }

    let perClient: Int
    private let trusted: [AddressRange]
    private let open = Mutex<[Client: Count]>([:])

    private struct Count {
        var connections = 0
        var refusing = false
    }

    init(perClient: Int, trusted: [AddressRange]) {
        self.perClient = perClient
        self.trusted = trusted
    }

    /// Counts a connection from `peer`, unless its client holds its share already.
    func admit(_ peer: SocketAddress?) -> Admission {
        guard let peer, let client = Self.client(of: peer) else { return .uncounted }
        if !self.trusted.isEmpty, let text = peer.ipAddress, self.trusted.contains(where: { $0.contains(text) }) {
            return .uncounted
        }
        return self.open.withLock { open in
            var count = open[client, default: Count()]
            defer { open[client] = count }
            guard count.connections < self.perClient else {
                defer { count.refusing = true }
                return .refused(first: !count.refusing)
            }
            count.connections += 1
            count.refusing = false
            return .counted(client)
        }
    }

    /// A counted connection closed.
    func release(_ client: Client) {
        self.open.withLock { open in
            guard var count = open[client] else { return }
            count.connections -= 1
            open[client] = count.connections > 0 ? count : nil
        }
    }

    /// Connections counted against the client of `peer` now (for tests and logs).
    func connections(of peer: SocketAddress) -> Int {
        guard let client = Self.client(of: peer) else { return 0 }
        return self.open.withLock { $0[client]?.connections ?? 0 }
    }

    /// The client a peer address counts against; nil for peers that are no IP address.
    static func client(of peer: SocketAddress) -> Client? {
        peer.ipAddress.flatMap(Client.init(address:))
    }
}
