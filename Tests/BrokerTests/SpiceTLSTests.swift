import Broker
import BrokerTestSupport
import ConsoleFile
import Firewall
import ProxyAccess
import Store
import Testing

/// SPICE over TLS: where the VM's SPICE server offers TLS and the broker is configured for it, the public port
/// forwards to the TLS port, console files carry the CA, and the proxy lets the TLS port through.
@Suite struct SpiceTLSTests {
    static let tls = SpiceTLSSettings(caPEM: "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n", hostSubject: "O=Saffron,CN=hv")

    static func fixture(tls: SpiceTLSSettings? = Self.tls, offered: Bool = true) async throws -> BrokerFixture {
        let fixture = try await BrokerFixture(proxyURL: "http://198.51.100.1:3128", spiceTLS: tls)
        if offered { await fixture.hypervisor.offerTLS() }
        return fixture
    }

    @Test func thePublicPortForwardsToTheTLSPortAndTheFileSaysSo() async throws {
        let fixture = try await Self.fixture()
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let tlsPort = try #require(session.targetTLSPort)
        #expect(await fixture.forwarder.rules.map(\.targetPort) == [tlsPort])

        let file = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        #expect(file.host == "198.51.100.1")
        #expect(file.tls == ConsoleFile.TLS(port: session.publicPort, ca: Self.tls.caPEM, hostSubject: "O=Saffron,CN=hv"))

        let proxied = try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .proxy)
        #expect(proxied.host == "192.0.2.10")
        #expect(proxied.tls?.port == tlsPort)
        let policy = TunnelPolicy(store: fixture.store, settings: fixture.broker.settings)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "192.0.2.10", port: tlsPort)?.id == session.id)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "192.0.2.10", port: session.targetPort!) == nil,
                "the plain port stays closed under SPICE TLS")
    }

    @Test func aVMWithoutTLSAndABrokerWithoutTLSStayPlain() async throws {
        for fixture in [try await Self.fixture(offered: false), try await Self.fixture(tls: nil)] {
            let alice = try await fixture.user("alice")
            let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
            #expect(await fixture.forwarder.rules.map(\.targetPort) == [session.targetPort!])
            #expect(try await fixture.broker.consoleFile(forSession: session.id, user: alice).tls == nil)
        }
    }
}
