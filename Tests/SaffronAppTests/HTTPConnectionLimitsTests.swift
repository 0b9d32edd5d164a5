import Foundation
import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle
import Testing

@testable import SaffronApp

/// The HTTP API's connection limits on a real Hummingbird server on loopback: slow, silent, idle and numerous
/// clients are closed, while others still get their answers.
@Suite(.serialized) struct HTTPConnectionLimitsTests {
    static let request = "GET / HTTP/1.1\r\nHost: saffron\r\n\r\n"

    /// `count` kept-alive connections from 127.0.0.1, opened one after another, each answered before the next opens.
    static func answeredClients(_ count: Int, port: Int) async throws -> [LoopbackClient] {
        var clients: [LoopbackClient] = []
        for _ in 0..<count {
            let client = try LoopbackClient(port: port)
            try client.send(request)
            #expect(await client.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
            clients.append(client)
        }
        return clients
    }

    @Test func halfSentHeadsAreClosedWithinTheDeadlineWhileARealRequestIsAnswered() async throws {
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(1)
        limits.idleTimeout = .seconds(300)
        limits.connectionsPerClient = 1000
        try await withLimitedAPI(limits) { port in
            let opened = ContinuousClock.now
            let halves = try (0..<100).map { _ in try LoopbackClient(port: port) }
            for client in halves { try client.send("GET / HTTP/1.1\r\nHost: saff") }
            let loris = try LoopbackClient(port: port)
            let real = try LoopbackClient(port: port, from: "127.0.0.2")
            try real.send(Self.request)
            #expect(await real.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
            // The slow-loris sends a byte every 100 ms: it is closed at the deadline all the same.
            var lorisClosed = false
            for byte in "GET / HTTP/1.1\r\nHost: saffron\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
                guard (try? loris.send(String(byte))) != nil, !(await loris.isClosed(by: .now + .milliseconds(100))) else {
                    lorisClosed = true
                    break
                }
            }
            if !lorisClosed { lorisClosed = await loris.isClosed(by: opened + .seconds(30)) }
            #expect(lorisClosed)
            // Far sooner than the idle timeout: the deadline closed them (the bound is wide for a loaded machine).
            let bound = opened + .seconds(30)
            #expect(await openCount(halves, by: bound) == 0)
            #expect(ContinuousClock.now - opened >= .milliseconds(900))
        }
    }

    @Test func aKeptAliveConnectionStartingItsNextRequestHasTheDeadlineNotTheIdleTimeout() async throws {
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(1)
        limits.idleTimeout = .seconds(300)
        try await withLimitedAPI(limits) { port in
            let client = try LoopbackClient(port: port)
            try client.send(Self.request)
            #expect(await client.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
            try client.send("GET / HTTP/1.1\r\n")
            #expect(await client.isClosed(by: .now + .seconds(30)))
        }
    }

    @Test func idleKeptAliveConnectionsAreClosedAfterTheIdleTimeout() async throws {
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(300)
        limits.idleTimeout = .seconds(1)
        try await withLimitedAPI(limits) { port in
            // Each connects just before its request: one opened early would sit idle past the timeout before it
            // asked anything on a loaded machine.
            var clients: [LoopbackClient] = []
            for _ in 0..<20 {
                let client = try LoopbackClient(port: port)
                try client.send(Self.request)
                #expect(await client.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
                clients.append(client)
            }
            let answered = ContinuousClock.now
            #expect(await openCount(clients, by: answered + .seconds(30)) == 0)
            #expect(ContinuousClock.now - answered >= .milliseconds(900))
        }
    }

    @Test func theConnectionBeyondAClientsShareIsClosedAtOnceWhileAnotherClientIsAnswered() async throws {
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(300)
        limits.connectionsPerClient = 5
        try await withLimitedAPI(limits) { port in
            // Each is answered, so each was counted before the next opened.
            var held = try await Self.answeredClients(5, port: port)
            let extra = try LoopbackClient(port: port)
            try? extra.send(Self.request)
            #expect(await extra.isClosed(by: .now + .seconds(20)), "closed long before the deadline: by the cap")
            let other = try LoopbackClient(port: port, from: "127.0.0.2")
            try other.send(Self.request)
            #expect(await other.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
            // A closed one gives its place back.
            held.removeLast()
            let answered = try await waitUntil(timeout: .seconds(30)) {
                let again = try LoopbackClient(port: port)
                try? again.send(Self.request)
                return await again.statusLine(by: .now + .seconds(5)) == "HTTP/1.1 200 OK"
            }
            #expect(answered)
        }
    }

    @Test func aTrustedProxyCountsOnlyTowardsTheTotal() async throws {
        var limits = HTTPConnectionLimits()
        limits.connectionsPerClient = 2
        limits.trustedProxies = [try #require(.init("127.0.0.0/8"))]
        try await withLimitedAPI(limits) { port in
            _ = try await Self.answeredClients(5, port: port)
        }
    }

    @Test func beyondTheTotalNewConnectionsWaitUntilOneCloses() async throws {
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(300)
        limits.maxConnections = 5
        try await withLimitedAPI(limits) { port in
            var held = try await Self.answeredClients(5, port: port)
            let waiting = try LoopbackClient(port: port, from: "127.0.0.2")
            try waiting.send(Self.request)
            #expect(await waiting.receive(within: .milliseconds(500)) == nil, "the API took a connection beyond its total")
            held.removeFirst()
            #expect(await waiting.statusLine(by: .now + .seconds(20)) == "HTTP/1.1 200 OK")
        }
    }

    @Test func withTLSASilentClientIsClosedAtTheDeadlineAndTheClientShareHolds() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("saffron-limits-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = TLSFiles(directory: folder)
        try CertificateAuthority.initialize(files, for: .init(names: ["saffron.test"], addresses: ["127.0.0.1"]))
        let tls = try ServerTLS(certificate: files.serverCertificate.path, key: files.serverKey.path)
        var limits = HTTPConnectionLimits()
        limits.requestTimeout = .seconds(10)
        limits.connectionsPerClient = 3
        try await withLimitedAPI(limits, tls: tls.configuration) { port in
            let opened = ContinuousClock.now
            // Four connections of one client, none saying a word: one is closed at once (whichever was counted
            // last), the others at the deadline.
            let silent = try (0..<4).map { _ in try LoopbackClient(port: port) }
            let oneClosed = try await waitUntil(timeout: .seconds(8)) { await openCount(silent, by: .now) == 3 }
            #expect(oneClosed && ContinuousClock.now - opened < .seconds(10), "one closed before the deadline: by the share")
            #expect(await openCount(silent, by: opened + .seconds(40)) == 0)
        }
    }
}

/// Runs a Hummingbird server answering `GET /` with the API's connection handling under `limits` on 127.0.0.1 (any
/// port) for the duration of `body`.
func withLimitedAPI(
    _ limits: HTTPConnectionLimits, tls: TLSConfiguration? = nil, _ body: (Int) async throws -> Void
) async throws {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let router = Router()
    router.get("/") { _, _ in "ok" }
    let (ports, port) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, server: .http1(limits: limits, tls: tls, logger: logger),
        configuration: .api(host: "127.0.0.1", port: 0, limits: limits, logger: logger),
        onServerRunning: { port.yield($0.localAddress?.port ?? 0) }, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var bound = ports.makeAsyncIterator()
        let result: Result<Void, any Error>
        do {
            try await body(try #require(await bound.next()))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        try result.get()
    }
}

/// How many of `clients` the server has not closed by `deadline`.
func openCount(_ clients: [LoopbackClient], by deadline: ContinuousClock.Instant) async -> Int {
    var open = 0
    for client in clients where !(await client.isClosed(by: deadline)) { open += 1 }
    return open
}

/// Polls a condition until it holds or the timeout passes (a bound, not a fixed sleep).
func waitUntil(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
