import SpiceLink
import Testing

/// A client linking through the acceptor as spice-gtk does, and the links it refuses before any desktop is involved.
@Suite struct SpiceLinkAcceptorTests {
    static let key = try! SpiceTicketKey()

    /// spice-gtk's main channel link as remote-viewer 11 (Debian 12) sends it: a new session, auth selection, SASL
    /// (never the ticket mechanism itself, which it picks only from the server's offer), the short header, and the
    /// main channel's four capabilities.
    static let spiceGTKMain = SpiceLinkMessage(
        connectionID: 0, channelType: 1, channelID: 0,
        commonCapabilities: SpiceCommonCapability.words([.authSelection, .authSASL, .miniHeader]),
        channelCapabilities: [0b1111])

    @Test func spiceGTKMainIsTheBytesRemoteViewerSends() throws {
        let captured: [UInt8] = [
            0x52, 0x45, 0x44, 0x51, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x1a, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x12, 0x00,
            0x00, 0x00, 0x0d, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x00, 0x00,
        ]
        #expect(Self.spiceGTKMain.bytes == captured)
    }

    /// The reply the acceptor sent, read as a client reads it.
    static func reply(in actions: [SpiceLinkAcceptor.Action]) throws -> SpiceLinkReply {
        guard case .send(let bytes)? = actions.first, actions.count == 1 else {
            Issue.record("expected one reply, got \(actions)")
            throw SpiceLinkError.error
        }
        let header = try SpiceLinkHeader(parsing: bytes.prefix(SpiceLinkHeader.size))
        #expect(header.bodySize == bytes.count - SpiceLinkHeader.size)
        return try SpiceLinkReply(parsing: bytes.dropFirst(SpiceLinkHeader.size))
    }

    @Test func aClientGetsTheGatewaysKeyAndItsTicketComesOut() throws {
        var acceptor = SpiceLinkAcceptor(key: Self.key) { $0.channelType == 1 ? [0b1111] : [] }
        let reply = try Self.reply(in: acceptor.receive(Self.spiceGTKMain.bytes))
        #expect(reply.error == nil && reply.publicKey == Self.key.publicKeyDER)
        #expect(reply.offers(.authSelection) && reply.offers(.authSpice) && reply.offers(.miniHeader))
        #expect(!reply.offers(.authSASL), "spice-gtk would choose SASL when offered")
        #expect(reply.channelCapabilities == [0b1111])

        let ticket = Array("session-credential-42".utf8)
        let mechanism: [UInt8] = [1, 0, 0, 0]
        let answer = acceptor.receive(mechanism + (try SpiceTicketKey.encrypt(ticket, for: reply.publicKey)))
        #expect(answer == [.authenticate(Self.spiceGTKMain, ticket: ticket)])
    }

    @Test func bytesArrivingOneByOneLinkTheSame() throws {
        var acceptor = SpiceLinkAcceptor(key: Self.key)
        var actions: [SpiceLinkAcceptor.Action] = []
        for byte in Self.spiceGTKMain.bytes { actions += acceptor.receive([byte]) }
        let reply = try Self.reply(in: actions)
        let ticket = Array("t".utf8)
        actions = []
        for byte in [1, 0, 0, 0] + (try SpiceTicketKey.encrypt(ticket, for: reply.publicKey)) { actions += acceptor.receive([byte]) }
        #expect(actions == [.authenticate(Self.spiceGTKMain, ticket: ticket)])
    }

    @Test func aClientWithoutAuthSelectionSendsTheTicketAtOnceAndGetsNoShortHeader() throws {
        let old = SpiceLinkMessage(connectionID: 7, channelType: 2, channelID: 0, commonCapabilities: [], channelCapabilities: [])
        var acceptor = SpiceLinkAcceptor(key: Self.key)
        let reply = try Self.reply(in: acceptor.receive(old.bytes))
        #expect(!reply.offers(.miniHeader), "the short header only when the client offers it")
        let ticket = Array("abc".utf8)
        #expect(acceptor.receive(try SpiceTicketKey.encrypt(ticket, for: reply.publicKey)) == [.authenticate(old, ticket: ticket)])
    }

    @Test func aTicketForAnotherKeyOrTooLongIsDeniedAfterTheReply() throws {
        let other = try SpiceTicketKey()
        for (ticket, key) in [(Array("right-length".utf8), other), (Array(repeating: UInt8(ascii: "x"), count: 61), Self.key)] {
            var acceptor = SpiceLinkAcceptor(key: Self.key)
            _ = try Self.reply(in: acceptor.receive(Self.spiceGTKMain.bytes))
            let answer = acceptor.receive([1, 0, 0, 0] + (try SpiceTicketKey.encrypt(ticket, for: key.publicKeyDER)))
            #expect(answer == [.refuse([7, 0, 0, 0], .permissionDenied)])
        }
    }

    @Test func choosingSASLIsRefused() throws {
        var acceptor = SpiceLinkAcceptor(key: Self.key)
        _ = try Self.reply(in: acceptor.receive(Self.spiceGTKMain.bytes))
        #expect(acceptor.receive([2, 0, 0, 0]) == [.refuse([3, 0, 0, 0], .invalidData)])
    }

    /// A header and message with the given fields, whatever they say.
    static func link(
        magic: String = "REDQ", major: UInt32 = 2, size: UInt32? = nil, common: UInt32 = 1, channel: UInt32 = 0,
        offset: UInt32 = 18, extra: Int = 4
    ) -> [UInt8] {
        func le(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        let body = le(0) + [1, 0] + le(common) + le(channel) + le(offset) + Array(repeating: 0, count: extra)
        return Array(magic.utf8) + le(major) + le(2) + le(size ?? UInt32(body.count)) + body
    }

    @Test(arguments: [
        (link(magic: "RFB "), SpiceLinkError.invalidMagic),
        (link(major: 1), .versionMismatch),
        (link(size: 4097), .invalidData),
        (link(size: 10), .invalidData),
        (link(common: 1025), .invalidData),
        (link(channel: 1025), .invalidData),
        (link(offset: 30), .invalidData),
        (link(offset: 4), .invalidData),
        (link(common: 0, channel: 0, extra: 0), nil),
    ])
    func malformedLinksAreRefusedWithTheServersError(bytes: [UInt8], error: SpiceLinkError?) throws {
        var acceptor = SpiceLinkAcceptor(key: Self.key)
        let actions = acceptor.receive(bytes)
        guard let error else {
            #expect(try Self.reply(in: actions).error == nil, "a link without capabilities is fine")
            return
        }
        guard case .refuse(let reply, let refused)? = actions.first, actions.count == 1 else {
            Issue.record("expected a refusal, got \(actions)")
            return
        }
        #expect(refused == error)
        #expect(try SpiceLinkReply(parsing: reply.dropFirst(SpiceLinkHeader.size)).error == error)
        #expect(acceptor.receive([0, 0, 0, 0]).isEmpty, "nothing more after a refusal")
    }

    @Test func aLinkCutMidwaySaysNothing() {
        var acceptor = SpiceLinkAcceptor(key: Self.key)
        #expect(acceptor.receive(Self.spiceGTKMain.bytes.dropLast(3)).isEmpty)
    }
}
