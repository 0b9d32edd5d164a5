import Glibc
import Testing

@testable import Gateway

/// The gateway holds at most `maxConnections` at once, handshakes included, so a flood of it leaves the process
/// descriptors for the API and the proxy: the connection beyond is closed at once, and a place comes back when one
/// ends.
@Suite struct GatewayConnectionCapTests {
    static let plainRequest = Array("GET / HTTP/1.1\r\nHost: gateway\r\n\r\n".utf8)

    @Test(arguments: GatewayDataPath.allCases)
    func theConnectionBeyondTheMostIsClosedAtOnceAndAClosedOneGivesItsPlaceBack(path: GatewayDataPath) async throws {
        try await withLiveGateway(path, resolver: TestTokenResolver(), configure: { $0.maxConnections = 3 }) { gateway, port in
            var held = try (0..<3).map { _ in try BlockingSocket.connected(to: port) }
            #expect(try await waitUntil { gateway.listener.gate.count == 3 })
            let extra = try BlockingSocket.connected(to: port)
            try? extra.send(Self.plainRequest)
            #expect(Self.closedUnanswered(extra), "the connection beyond the most was answered")
            #expect(gateway.listener.gate.count == 3)
            held.removeLast()
            #expect(try await waitUntil { gateway.listener.gate.count == 2 })
            let next = try BlockingSocket.connected(to: port)
            try next.send(Self.plainRequest)
            let answer = String(decoding: try next.receive(exactly: 12), as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 4"), "\(answer)")
        }
    }

    @Test(arguments: GatewayDataPath.allCases)
    func aClientBeyondItsShareIsClosedAtOnceWhileAnotherClientIsServed(path: GatewayDataPath) async throws {
        try await withLiveGateway(path, resolver: TestTokenResolver(), configure: { $0.connectionsPerClient = 2 }) { gateway, port in
            let held = try (0..<2).map { _ in try BlockingSocket.connected(to: port) }
            #expect(try await waitUntil { gateway.listener.gate.count(of: "127.0.0.1") == 2 })
            let extra = try BlockingSocket.connected(to: port)
            try? extra.send(Self.plainRequest)
            #expect(Self.closedUnanswered(extra), "the client's connection beyond its share was answered")
            let other = try BlockingSocket.connected(to: port, from: "127.0.0.2")
            try other.send(Self.plainRequest)
            let answer = String(decoding: try other.receive(exactly: 12), as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 4"), "another client is served: \(answer)")
            withExtendedLifetime(held) {}
        }
    }

    /// Whether the gateway closed `socket` without a byte of answer (a reset, too: it closed with our request unread).
    static func closedUnanswered(_ socket: BlockingSocket) -> Bool {
        do {
            return try socket.receiveUntilEnd().isEmpty
        } catch let failure as SocketFailure {
            return failure.code == ECONNRESET
        } catch {
            return false
        }
    }

    @Test func byDefaultTheGatewayTakesAQuarterOfTheOpenFilesHardLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let expected = min(max(Int(limit.rlim_max) / 16, 16), 1_000_000)
        #expect(GatewayConfiguration(host: "127.0.0.1", port: 0).maxConnections == expected)
    }
}
