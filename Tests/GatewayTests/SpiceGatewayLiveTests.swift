import Foundation
import Gateway
import SpiceLink
import SpiceTestSupport
import Testing

/// The SPICE gateway between test clients linking as spice-gtk does and a real libspice-server desktop
/// (`saffron-spice-pattern`): the client presents a console credential, the desktop is linked with its own ticket.
@Suite(.serialized) struct SpiceGatewayLiveTests {
    static let desktopTicket = "pattern-ticket-9"
    static let main: UInt8 = 1
    static let display: UInt8 = 2
    static let inputs: UInt8 = 3
    /// The client the test's connections name (they come from loopback, as the broker's own relays do).
    static let client = "192.0.2.5"

    @Test func aCredentialOpensTheDesktopsChannelsOfOneSPICESession() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-a", for: SpiceConsoleTarget(sessionID: "s1", host: "127.0.0.1", port: port.desktop))
            let (mainError, spiceSession) = try await blocking { () throws in
                let main = try SpiceTestClient(port: port.gateway, naming: Self.client)
                let error = try main.link(channelType: Self.main, ticket: "credential-a")
                return (error, error == nil ? try main.readSessionID() : 0)
            }
            #expect(mainError == nil, "the gateway linked the main channel")
            #expect(spiceSession != 0, "the desktop's MAIN_INIT reached the client through the gateway")
        }
    }

    @Test func otherChannelsMustNameTheMainChannelsSPICESession() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-a", for: SpiceConsoleTarget(sessionID: "s1", host: "127.0.0.1", port: port.desktop))
            let linked = try await blocking { () throws in
                let main = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try main.link(channelType: Self.main, ticket: "credential-a") == nil)
                let spiceSession = try main.readSessionID()
                let display = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try display.link(channelType: Self.display, connectionID: spiceSession, ticket: "credential-a") == nil)
                let stray = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(
                    try stray.link(channelType: Self.inputs, connectionID: spiceSession &+ 1, ticket: "credential-a")
                        == .permissionDenied, "a channel of another SPICE session")
                let orphan = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try orphan.link(channelType: Self.inputs, connectionID: 0, ticket: "credential-a") == .permissionDenied)
                return [main, display]
            }
            #expect(await gateway.liveConnectionCount() == 2, "the main and the display channel relay")
            withExtendedLifetime(linked) {}
        }
    }

    @Test func clientsAreOfferedTheChannelCapabilitiesTheDesktopsAnnounced() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-f", for: SpiceConsoleTarget(sessionID: "s6", host: "127.0.0.1", port: port.desktop))
            let (first, second) = try await blocking { () throws in
                let before = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try before.link(channelType: Self.main, ticket: "credential-f") == nil)
                let viewer = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try viewer.link(channelType: Self.main, ticket: "credential-f") == nil)
                return (before.offeredChannelCapabilities, viewer.offeredChannelCapabilities)
            }
            #expect(first.isEmpty, "no desktop had linked a main channel yet")
            #expect(!second.isEmpty && second != [0], "libspice-server's main channel capabilities, learnt from the first link")
        }
    }

    @Test func aWrongOrPinnedCredentialIsRefusedAndReachesNoDesktop() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-b", for: SpiceConsoleTarget(sessionID: "s2", host: "127.0.0.1", port: port.desktop))
            try await blocking { () throws in
                #expect(try SpiceTestClient(port: port.gateway, naming: Self.client).link(channelType: Self.main, ticket: "forged") == .permissionDenied)
                #expect(
                    try SpiceTestClient(port: port.gateway, naming: "192.0.2.6").link(channelType: Self.main, ticket: "credential-b")
                        == .permissionDenied, "the session is pinned to another client address")
                #expect(
                    try SpiceTestClient(port: port.gateway, naming: Self.client).link(channelType: Self.main, ticket: Self.desktopTicket)
                        == .permissionDenied, "the desktop's own ticket is no credential")
            }
            #expect(await resolver.ticketRequests.isEmpty, "no desktop was linked for a refused credential")
        }
    }

    @Test func endingTheSessionCutsItsViewerAndItsCredentialOpensNothing() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-c", for: SpiceConsoleTarget(sessionID: "s3", host: "127.0.0.1", port: port.desktop))
            let main = try await blocking { () throws in
                let main = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try main.link(channelType: Self.main, ticket: "credential-c") == nil)
                _ = try main.readSessionID()
                return main
            }
            await resolver.end(session: "s3")
            #expect(await gateway.closeConnections(ofSession: "s3") == 1)
            #expect(try await blocking { main.closedByPeer() })
            #expect(try await blocking { try SpiceTestClient(port: port.gateway, naming: Self.client).link(channelType: Self.main, ticket: "credential-c") } == .permissionDenied)
        }
    }

    @Test(arguments: [SpiceSecondViewer.replace, .refuse])
    func aSecondViewerOfTheSameCredential(_ policy: SpiceSecondViewer) async throws {
        try await withDesktop(secondViewer: policy) { resolver, gateway, port in
            await resolver.issue("credential-d", for: SpiceConsoleTarget(sessionID: "s4", host: "127.0.0.1", port: port.desktop))
            try await blocking { () throws in
                let first = try SpiceTestClient(port: port.gateway, naming: Self.client)
                #expect(try first.link(channelType: Self.main, ticket: "credential-d") == nil)
                _ = try first.readSessionID()
                let second = try SpiceTestClient(port: port.gateway, naming: Self.client)
                let linked = try second.link(channelType: Self.main, ticket: "credential-d")
                switch policy {
                case .replace:
                    #expect(linked == nil, "the new viewer takes over")
                    #expect(first.closedByPeer(), "the old viewer is cut")
                case .refuse:
                    #expect(linked == .permissionDenied, "refused while the first is connected")
                }
            }
        }
    }

    @Test func aConnectionFromThisHostMustNameItsClient() async throws {
        try await withDesktop { resolver, gateway, port in
            await resolver.issue("credential-e", for: SpiceConsoleTarget(sessionID: "s5", host: "127.0.0.1", port: port.desktop))
            try await blocking { () throws in
                let unnamed = try SpiceTestClient(port: port.gateway)
                #expect(throws: SpiceTestClient.Failure.self, "no link reply without the line") {
                    try unnamed.link(channelType: Self.main, ticket: "credential-e")
                }
                let malformed = try SpiceTestClient(port: port.gateway)
                try malformed.send(Array("PROXY TCP4 192.0.2.5 nonsense\r\n".utf8))
                #expect(malformed.closedByPeer())
            }
            #expect(await resolver.ticketRequests.isEmpty)
        }
    }

    /// A pattern desktop and a plain SPICE gateway before it for the length of `body`.
    func withDesktop(
        secondViewer: SpiceSecondViewer = .replace,
        _ body: (TestSpiceResolver, SpiceGateway, (gateway: Int, desktop: Int)) async throws -> Void
    ) async throws {
        let desktop = try PatternServer(ticket: Self.desktopTicket)
        defer { desktop.stop() }
        let resolver = TestSpiceResolver(desktopTicket: Self.desktopTicket)
        var configuration = SpiceGatewayConfiguration(host: "127.0.0.1", port: 0)
        configuration.secondViewer = secondViewer
        let gateway = SpiceGateway(configuration: configuration, resolver: resolver, logger: .quiet)
        try await withRunning(gateway, boundPort: gateway.boundPort) { port in
            try await body(resolver, gateway, (port, desktop.port))
        }
    }
}

/// Runs blocking socket work on a thread of its own, so it never holds a thread of the pool the gateway's tasks need.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
