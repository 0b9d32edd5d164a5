import Gateway
import ServiceLifecycle
import Testing

/// The CONNECT proxy's shutdown through real sockets on 127.0.0.1.
@Suite struct ConnectProxyLifecycleTests {
    @Test func stoppingTheProxyClosesItsTunnelsAndTakesNoMoreClients() async throws {
        let (desktop, authorizer) = try await ConnectProxyLiveTests.grantedDesktop()
        let proxy = ConnectProxy(configuration: ProxyConfiguration(host: "127.0.0.1", port: 0), authorizer: authorizer, logger: .quiet)
        let group = ServiceGroup(configuration: .init(services: [proxy], logger: .quiet))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await proxy.boundPort()
            let open = try await TestProxyClient.connect(port: port)
            #expect(try await open.connect(to: "127.0.0.1:\(desktop.port)") == "HTTP/1.1 200 Connection established")
            await group.triggerGracefulShutdown()
            #expect(try await open.readToEnd() == "")
            try await tasks.waitForAll()  // run() returned: every tunnel closed
            #expect(await proxy.liveTunnelCount() == 0)
            let late = try? await TestProxyClient.connect(port: port)
            #expect(try await late?.connect(to: "127.0.0.1:\(desktop.port)") ?? "" == "")
        }
    }
}
