import SpiceLink
import Testing

/// The gateway linking a desktop on a client's behalf; an acceptor stands in for the desktop's spice-server.
@Suite struct SpiceLinkConnectorTests {
    static let desktopKey = try! SpiceTicketKey()

    /// The desktop's reply to the connector's link message.
    static func serverReply(_ server: inout SpiceLinkAcceptor, to connector: SpiceLinkConnector) throws -> [UInt8] {
        guard case .send(let bytes)? = server.receive(connector.linkBytes).first else { throw SpiceLinkError.error }
        return bytes
    }

    @Test func theDesktopGetsItsOwnTicketAndTheClientsCapabilitiesWithoutSASL() throws {
        var desktop = SpiceLinkAcceptor(key: Self.desktopKey) { _ in [0b101] }
        var connector = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        let reply = try Self.serverReply(&desktop, to: connector)
        #expect(connector.receive(reply) == [.needTicket])

        let password = Array("desk-password".utf8)
        let presented = try connector.present(ticket: password)
        let expected = SpiceLinkAcceptorTests.spiceGTKMain.withdrawing(.authSASL)
        #expect(desktop.receive(presented) == [.authenticate(expected, ticket: password)])

        let linked = connector.receive(SpiceLinkReply.result(nil) + [9, 9, 9])
        guard case .linked(let desktopReply, let following)? = linked.first else {
            Issue.record("not linked: \(linked)")
            return
        }
        #expect(desktopReply.channelCapabilities == [0b101] && following == [9, 9, 9])
    }

    @Test func aWrongTicketIsTheDesktopsPermissionDenied() throws {
        var desktop = SpiceLinkAcceptor(key: Self.desktopKey)
        var connector = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        #expect(connector.receive(try Self.serverReply(&desktop, to: connector)) == [.needTicket])
        _ = try connector.present(ticket: Array("stale".utf8))
        #expect(connector.receive(SpiceLinkReply.result(.permissionDenied)) == [.failed(.permissionDenied)])
    }

    @Test func aRefusedLinkOrOneThatIsNotSpiceFails() {
        var refused = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        #expect(refused.receive(SpiceLinkReply(refusing: .channelNotAvailable).bytes) == [.failed(.channelNotAvailable)])
        var other = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        #expect(other.receive(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8)) == [.failed(.invalidMagic)])
    }

    @Test func aDesktopWithoutTheShortHeaderFailsAClientPromisedIt() {
        let reply = SpiceLinkReply(
            publicKey: Self.desktopKey.publicKeyDER, commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSpice]),
            channelCapabilities: [])
        var connector = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        #expect(connector.receive(reply.bytes) == [.failed(.error)])
    }

    @Test func aClientWithoutAuthSelectionHasItsTicketPresentedWithoutAMechanism() throws {
        let plain = SpiceLinkMessage(connectionID: 0, channelType: 1, channelID: 0, commonCapabilities: [], channelCapabilities: [])
        var connector = SpiceLinkConnector(linking: plain)
        let reply = SpiceLinkReply(
            publicKey: Self.desktopKey.publicKeyDER, commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSpice]),
            channelCapabilities: [])
        #expect(connector.receive(reply.bytes) == [.needTicket])
        let presented = try connector.present(ticket: Array("t".utf8))
        #expect(presented.count == SpiceTicketKey.encryptedTicketBytes, "the server reads the ticket at once")
        #expect(try Self.desktopKey.ticket(decrypting: presented) == Array("t".utf8))
    }

    @Test func aTicketIsPresentedOnlyWhenAsked() {
        var connector = SpiceLinkConnector(linking: SpiceLinkAcceptorTests.spiceGTKMain)
        #expect(throws: SpiceLinkError.self) { try connector.present(ticket: [1]) }
    }
}
