import Broker
import BrokerTestSupport
import ConsoleFile
import ProxyAccess
import Store
import Testing

/// Console files that go through the CONNECT proxy, and which tunnels the proxy's policy grants.
@Suite struct ConsoleRouteTests {
    static let proxyURL = "http://198.51.100.1:3128"

    @Test func aProxyPoolsConsoleFileNamesTheDesktopsEndpointAndTheProxy() async throws {
        let fixture = try await BrokerFixture(proxyURL: Self.proxyURL)
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .proxy }
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session

        let file = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        #expect(file.host == "192.0.2.10")
        #expect(file.port == session.targetPort)
        #expect(file.extraKeys == [ConsoleFile.Entry(key: "proxy", value: Self.proxyURL)!])
        #expect(file.rendered(for: .aSpice).contains("proxy=\(Self.proxyURL)"))

        #expect(session.route == .proxy)
        #expect(await fixture.forwarder.rules.isEmpty, "a proxy pool's session forwards no public port")
        let direct = await #expect(throws: BrokerError.self) {
            try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .direct)
        }
        #expect(direct?.code == .routeUnavailable)
        #expect(direct?.httpStatus == 409)
    }

    @Test func aProxySessionFollowsItsClientToANewAddress() async throws {
        let fixture = try await BrokerFixture(proxyURL: Self.proxyURL)
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .proxy }
        let alice = try await fixture.user("alice")
        let first = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let again = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.9").session
        #expect(again.id == first.id)
        let policy = TunnelPolicy(store: fixture.store, settings: fixture.broker.settings)
        #expect(try await policy.session(from: "203.0.113.9", toAddress: "192.0.2.10", port: first.targetPort!)?.id == first.id)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "192.0.2.10", port: first.targetPort!) == nil)
        #expect(await fixture.forwarder.rules.isEmpty)
    }

    @Test func aDirectPoolGoesThroughTheProxyOnlyWhenAsked() async throws {
        let fixture = try await BrokerFixture(proxyURL: Self.proxyURL)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        #expect(try await fixture.broker.consoleFile(forSession: session.id, user: alice).host == "198.51.100.1")
        #expect(try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .proxy).host == "192.0.2.10")
    }

    @Test func withoutAProxyTheRouteIsRefusedClearly() async throws {
        let fixture = try await BrokerFixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let refused = await #expect(throws: BrokerError.self) {
            try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .proxy)
        }
        #expect(refused?.code == .proxyDisabled)
        #expect(refused?.httpStatus == 409)
        let policy = await #expect(throws: BrokerError.self) {
            try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .proxy }
        }
        #expect(policy?.message.contains("proxy.listen") == true)
        #expect(try await fixture.store.pool(named: "office")?.policy.consoleRoute == .direct)
    }

    @Test func aRouteNoAccessPathServesIsRefusedNamingTheRoutesThereAre() async throws {
        let fixture = try await BrokerFixture(proxyURL: Self.proxyURL)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let bogus = ConsoleRoute(rawValue: "carrier-pigeon")
        let file = await #expect(throws: BrokerError.self) {
            try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: bogus)
        }
        #expect(file?.code == .routeUnknown && file?.httpStatus == 400)
        #expect(file?.message.contains("direct, gateway, proxy") == true, "\(String(describing: file))")
        let policy = await #expect(throws: BrokerError.self) {
            try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = bogus }
        }
        #expect(policy?.code == .routeUnknown)
        #expect(try await fixture.store.pool(named: "office")?.policy.consoleRoute == .direct)
    }

    @Test func theTunnelPolicyGrantsOnlyTheLiveSessionsExactEndpointToItsClient() async throws {
        let fixture = try await BrokerFixture(proxyURL: Self.proxyURL)
        let alice = try await fixture.user("alice")
        let bob = try await fixture.user("bob")
        let mine = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let theirs = try await fixture.broker.desktop(inPool: "office", for: bob, clientAddress: "203.0.113.6").session
        let policy = TunnelPolicy(store: fixture.store, settings: fixture.broker.settings)
        let address = try #require(mine.targetAddress)
        let port = try #require(mine.targetPort)

        #expect(try await policy.session(from: "203.0.113.5", toAddress: address, port: port)?.id == mine.id)
        #expect(try await policy.session(from: "203.0.113.6", toAddress: address, port: port) == nil)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: address, port: theirs.targetPort!) == nil)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "198.51.100.1", port: mine.publicPort) == nil)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "127.0.0.1", port: port) == nil)

        try await fixture.broker.endSession(id: mine.id, requestedBy: alice)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: address, port: port) == nil)
    }
}
