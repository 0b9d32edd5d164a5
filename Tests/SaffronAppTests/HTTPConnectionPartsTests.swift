import NIOCore
import Testing

@testable import SaffronApp

/// The parts of the API's connection limits that need no socket: the request deadline's states, who a connection
/// counts against, and the keys' checks.
@Suite struct HTTPConnectionPartsTests {
    @Test func theDeadlineRunsUntilTheFirstRequestIsReadThenWaitsForTheNextOnesFirstByte() {
        var deadline = RequestDeadline()
        #expect(deadline.isArmed)
        #expect(deadline.bytesArrived() == .none)
        #expect(deadline.headRead() == .none)
        #expect(deadline.endRead() == .disarm)
        #expect(deadline.bytesArrived() == .none, "the broker is answering: no deadline")
        deadline.responseEnded()
        #expect(!deadline.isArmed, "between requests the idle timeout applies")
        #expect(deadline.bytesArrived() == .arm)
        #expect(deadline.bytesArrived() == .none)
        #expect(deadline.headRead() == .none)
        #expect(deadline.endRead() == .disarm)
    }

    @Test func aWholeRequestInOneReadOnAKeptAliveConnectionStillHasItsBodyTimed() {
        var deadline = RequestDeadline()
        _ = deadline.headRead()
        _ = deadline.endRead()
        deadline.responseEnded()
        #expect(deadline.headRead() == .arm, "a head that came whole: the body is timed")
        #expect(deadline.bytesArrived() == .none)
        #expect(deadline.endRead() == .disarm)
    }

    @Test func aClientIsAnIPv4AddressOrAnIPv6Slash64() throws {
        typealias Client = ClientConnectionShares.Client
        #expect(Client(address: "192.0.2.1") == Client(address: "::ffff:192.0.2.1"))
        #expect(Client(address: "192.0.2.1") != Client(address: "192.0.2.2"))
        #expect(Client(address: "2001:db8:1:2::1") == Client(address: "2001:db8:1:2:ffff::9"))
        #expect(Client(address: "2001:db8:1:2::1") != Client(address: "2001:db8:1:3::1"))
        #expect(Client(address: "saffron.example") == nil)
    }

    @Test func sharesCountPerClientAndLeaveTrustedProxiesOut() throws {
        let shares = ClientConnectionShares(perClient: 2, trusted: [try #require(.init("10.0.0.5"))])
        let peer = try SocketAddress(ipAddress: "2001:db8::1", port: 5000)
        let neighbour = try SocketAddress(ipAddress: "2001:db8::2", port: 5001)
        guard case .counted(let client) = shares.admit(peer) else { Issue.record("not counted"); return }
        #expect(shares.admit(neighbour) == .counted(client))
        #expect(shares.admit(peer) == .refused(first: true))
        #expect(shares.admit(peer) == .refused(first: false))
        shares.release(client)
        #expect(shares.connections(of: peer) == 1)
        #expect(shares.admit(neighbour) == .counted(client))
        let proxy = try SocketAddress(ipAddress: "10.0.0.5", port: 80)
        for _ in 0..<5 { #expect(shares.admit(proxy) == .uncounted) }
    }

    @Test func limitKeysAreCheckedAndMaxConnectionsDefaultsToAShareOfTheOpenFilesLimit() throws {
        var config = SaffronConfig()
        #expect(try config.httpConnectionLimits(openFiles: 65536).maxConnections == 8192)
        #expect(try config.httpConnectionLimits(openFiles: 65536).requestTimeout == .seconds(10))
        #expect(try config.httpConnectionLimits(openFiles: 65536).idleTimeout == .seconds(60))
        config.http.maxConnections = 300
        #expect(try config.httpConnectionLimits(openFiles: 65536).maxConnections == 300)
        for (key, change) in [
            ("http.requestHeadTimeoutSeconds", { (config: inout SaffronConfig) in config.http.requestHeadTimeoutSeconds = 0 }),
            ("http.idleTimeoutSeconds", { $0.http.idleTimeoutSeconds = -1 }),
            ("http.connectionsPerClient", { $0.http.connectionsPerClient = 0 }),
            ("http.maxConnections", { $0.http.maxConnections = -5 }),
        ] {
            var wrong = SaffronConfig()
            change(&wrong)
            let error = #expect(throws: ConfigError.self) { try wrong.validated() }
            #expect(error?.message.contains(key) == true, "\(String(describing: error))")
        }
    }
}
