import Gateway
import Logging
import ServiceLifecycle
import Testing

/// How a live gateway relays plain connections: the live tests run on both paths.
enum GatewayDataPath: CaseIterable, Sendable, CustomTestStringConvertible {
    /// The splice engine (the default).
    case splice
    /// NIO's event loops (as TLS connections always are).
    case eventLoop

    var testDescription: String { self == .splice ? "splice engine" : "event loop" }
}

/// Runs a gateway on 127.0.0.1 (any port), relaying on `path`, in a `ServiceGroup` for the duration of `body`, then
/// shuts it down gracefully and waits for `run()` to return.
func withLiveGateway<T: Sendable>(
    _ path: GatewayDataPath = .splice,
    resolver: some GatewayTokenResolver,
    configure: (inout GatewayConfiguration) -> Void = { _ in },
    _ body: (WebSocketGateway, Int) async throws -> T
) async throws -> T {
    var configuration = GatewayConfiguration(host: "127.0.0.1", port: 0)
    configuration.splicesPlainConnections = path == .splice
    configure(&configuration)
    let gateway = WebSocketGateway(configuration: configuration, resolver: resolver, logger: .quiet)
    return try await withRunning(gateway, boundPort: gateway.boundPort) { port in try await body(gateway, port) }
}

/// Runs `service` in a `ServiceGroup` for the duration of `body` (given the port it bound), then shuts it down
/// gracefully and waits for it to return.
func withRunning<T: Sendable>(
    _ service: some Service, boundPort: @Sendable () async throws -> Int, _ body: (Int) async throws -> T
) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: [service], logger: .quiet))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body(try await boundPort())
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Polls a condition until it holds or the timeout passes (a bound, not a fixed sleep: it returns as soon as the
/// condition holds). The bound is wide, as a CI machine building and booting VMs beside the tests once took over 5 s.
func waitUntil(
    timeout: Duration = .seconds(30), _ condition: () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
