import Broker
import BrokerTestSupport
import Foundation
import GatewayAccess
import ProxyAccess
import Store
import Testing

/// Console files through the SPICE gateway: a credential instead of the desktop's ticket, and the tickets the gateway
/// links desktops with.
@Suite struct SpiceGatewayRouteTests {
    static let gateway = GatewayAccess.Endpoint(
        host: "198.51.100.1", port: 5999, tls: SpiceTLSSettings(caPEM: "-----BEGIN CERTIFICATE-----\nCA\n", hostSubject: "O=Saffron,CN=gw"))

    @Test func aGatewayPoolsConsoleFileCarriesACredentialAndNoDesktopTicket() async throws {
        let fixture = try await BrokerFixture(spiceGateway: Self.gateway)
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .gateway }
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let ticketsBefore = await fixture.hypervisor.vms[session.vm]?.ticketsSet

        let file = try await fixture.broker.consoleFile(forSession: session.id, user: alice)
        #expect(file.host == "198.51.100.1" && file.tls?.port == 5999)
        #expect(file.tls?.ca == Self.gateway.tls.caPEM && file.tls?.hostSubject == "O=Saffron,CN=gw")
        #expect(!file.deleteThisFile, "a file meant to be opened again")
        #expect(await fixture.hypervisor.vms[session.vm]?.ticketsSet == ticketsBefore, "no desktop ticket was set for the file")
        let lockedTicket = await fixture.hypervisor.vms[session.vm]?.ticket
        #expect(file.password != lockedTicket)
        #expect(try await fixture.broker.gatewayDesktop(forCredential: file.password, clientAddress: "203.0.113.5")?.id == session.id)
        #expect(
            try await fixture.broker.gatewayDesktop(forCredential: file.password, clientAddress: "203.0.113.5")?.id == session.id,
            "a credential opens the desktop again and again")
        let pinned = await #expect(throws: BrokerError.self, "the session is pinned to its client's address") {
            try await fixture.broker.gatewayDesktop(forCredential: file.password, clientAddress: "203.0.113.6")
        }
        #expect(pinned?.code == .forbidden)
        #expect(try await fixture.broker.gatewayDesktop(forCredential: "forged", clientAddress: "203.0.113.5") == nil)

        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        #expect(try await fixture.broker.gatewayDesktop(forCredential: file.password, clientAddress: "203.0.113.5") == nil)
    }

    @Test func channelsLinkingTogetherShareOneDesktopTicketUntilLittleOfItIsLeft() async throws {
        let fixture = try await BrokerFixture(spiceGateway: Self.gateway)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let before = await fixture.hypervisor.vms[session.vm]?.ticketsSet ?? 0
        let now = Date()
        let tickets = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 { group.addTask { try await fixture.broker.gatewayTicket(forSession: session.id, now: now) } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        let desktopTicket = await fixture.hypervisor.vms[session.vm]?.ticket
        #expect(tickets.count == 1 && tickets.first == desktopTicket)
        #expect(await fixture.hypervisor.vms[session.vm]?.ticketsSet == before + 1)
        #expect(try await fixture.broker.gatewayTicket(forSession: session.id, now: now.addingTimeInterval(15)) == tickets.first)
        let later = try await fixture.broker.gatewayTicket(forSession: session.id, now: now.addingTimeInterval(25))
        #expect(later != tickets.first, "less than a third of its validity left: a new one")

        _ = try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .direct)
        let afterDirect = try await fixture.broker.gatewayTicket(forSession: session.id, now: now.addingTimeInterval(25))
        #expect(afterDirect != later, "a direct console file replaced the desktop's ticket")
        let replaced = await fixture.hypervisor.vms[session.vm]?.ticket
        #expect(afterDirect == replaced)
    }

    @Test func theProxyOpensTheGatewayForItsSessionsClientsAndNeverTheirDesktops() async throws {
        let fixture = try await BrokerFixture(spiceGateway: Self.gateway)
        try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .gateway }
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let policy = TunnelPolicy(
            store: fixture.store, settings: fixture.broker.settings,
            spiceGateway: .init(route: .gateway, throughProxy: ("198.51.100.1", 5999)))
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "198.51.100.1", port: 5999)?.id == session.id)
        #expect(try await policy.session(from: "203.0.113.6", toAddress: "198.51.100.1", port: 5999) == nil)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "192.0.2.10", port: session.targetPort!) == nil,
                "a gateway session's desktop is reached through the gateway only")
        try await fixture.broker.endSession(id: session.id, requestedBy: alice)
        #expect(try await policy.session(from: "203.0.113.5", toAddress: "198.51.100.1", port: 5999) == nil)
    }

    @Test func withoutAGatewayTheRouteIsRefusedClearly() async throws {
        let fixture = try await BrokerFixture()
        let policy = await #expect(throws: BrokerError.self) {
            try await fixture.broker.updatePolicy(ofPool: "office") { $0.consoleRoute = .gateway }
        }
        #expect(policy?.message.contains("spiceGateway.listen") == true)
        let alice = try await fixture.user("alice")
        let session = try await fixture.broker.desktop(inPool: "office", for: alice, clientAddress: "203.0.113.5").session
        let file = await #expect(throws: BrokerError.self) {
            try await fixture.broker.consoleFile(forSession: session.id, user: alice, route: .gateway)
        }
        #expect(file?.code == .routeUnavailable && file?.httpStatus == 409)
    }
}
